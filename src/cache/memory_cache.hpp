// MemoryCache: the in-process Cache layer. Keys hash onto shards (a mutex, a hash map and an LRU list
// each), so threads touching different shards never wait for each other. One byte budget spans all
// shards; values over `compress_above` bytes are held zstd-compressed. Time comes from the injected
// clock, so tests move it without sleeping. Every method is thread-safe; no call does I/O.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "cache/cache.hpp"
#include "cache/detail/latency_window.hpp"

namespace vidgen::cache {

namespace detail {
class MemoryShard;
}

using Clock = std::function<std::chrono::steady_clock::time_point()>;

// Bookkeeping each entry costs beyond its key, tags and stored value; counted against the budget.
inline constexpr std::size_t kEntryOverheadBytes = 128;

struct MemoryCacheOptions {
    std::size_t max_bytes = std::size_t{256} << 20;  // budget over all shards; see LayerStats::bytes
    std::size_t shards = 16;                         // at least 1
    std::size_t compress_above = 1024;               // values longer than this are compressed...
    int compression_level = 1;                       // ...with this zstd level (1..3 keeps writes fast)
    Clock clock = [] { return std::chrono::steady_clock::now(); };  // empty: steady_clock
};

// TTLs expire lazily (a read of an expired entry is a miss and drops it) and on writes (each set sweeps
// its shard's expired entries). A set that pushes the total over the budget evicts the least recently
// used entries of its own shard first, then of the other shards: LRU order is exact within a shard and
// approximate across shards. invalidate_tag and clear_pattern visit the shards one at a time, so an entry
// written concurrently into a shard already visited survives.
class MemoryCache final : public Cache {
  public:
    explicit MemoryCache(MemoryCacheOptions options = {});
    ~MemoryCache() override;

    Result<std::optional<std::string>> get(std::string_view key) override;
    CacheStats stats() const override;
    LayerStats layer_stats() const;

  protected:
    // A value whose entry alone would exceed max_bytes is refused with limit_exceeded, and any older
    // value of that key is dropped, so a refused write never leaves a stale value behind.
    Result<void> do_set(std::string_view key, std::string_view value, const WriteOptions& options) override;
    Result<bool> do_erase(std::string_view key) override;
    Result<std::size_t> do_invalidate_tag(std::string_view tag) override;
    Result<std::size_t> do_clear_pattern(std::string_view glob) override;

  private:
    std::size_t shard_index(std::string_view key) const;
    void enforce_budget(std::size_t written_shard);

    MemoryCacheOptions options_;
    std::atomic<std::size_t> total_bytes_{0};
    std::vector<std::unique_ptr<detail::MemoryShard>> shards_;
    detail::LatencyWindow get_latency_;  // one get in kLatencySampling is timed
};

}  // namespace vidgen::cache
