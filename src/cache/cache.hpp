// Cache: a byte-value key store with TTLs, tags and glob clears, behind which sit the in-memory layer
// (MemoryCache), and later a Redis layer and a tiered memory → Redis cache. Handlers depend on this only.
// Every call is thread-safe in every implementation. Network layers may block on I/O and report it as an
// Error; callers treat an error from get() as a miss. Listeners are how the tiered cache publishes and
// receives invalidations across nodes (see add_invalidation_listener and apply_remote).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace vidgen::cache {

struct WriteOptions {
    std::chrono::milliseconds ttl{0};  // 0: never expires; negative is an invalid_argument
    std::vector<std::string> tags;     // invalidate_tag(t) drops every entry written with t
};

// Percentiles of a layer's recent reads (its last few thousand, or a sample of them).
struct LatencyPercentiles {
    std::chrono::nanoseconds p50{0};
    std::chrono::nanoseconds p90{0};
    std::chrono::nanoseconds p99{0};
    std::size_t samples = 0;  // reads the percentiles were taken over; 0: no reads yet
};

// Figures of one layer; counters are cumulative since construction, the rest are current.
struct LayerStats {
    std::string layer;  // "memory", "redis"
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;  // includes reads of expired entries
    std::uint64_t sets = 0;
    std::uint64_t evictions = 0;      // dropped to stay within the byte budget
    std::uint64_t expirations = 0;    // dropped because their TTL passed
    std::uint64_t invalidations = 0;  // dropped by erase, invalidate_tag or clear_pattern
    std::uint64_t entries = 0;
    std::uint64_t bytes = 0;               // held, as counted against the budget (keys, tags, stored values)
    std::uint64_t capacity_bytes = 0;      // the budget; 0 when the layer has none
    std::uint64_t value_bytes = 0;         // values' size as written (before compression)
    std::uint64_t stored_value_bytes = 0;  // values' size as held (after compression)
    LatencyPercentiles latency;            // of reads (memory: a sample of them; Redis: of every call)

    double hit_ratio() const;  // hits / (hits + misses), 0 when there were no reads
};

struct CacheStats {
    std::vector<LayerStats> layers;  // top layer first
};

// A change other nodes must apply to their own copies: a key written or erased, a tag or a glob cleared.
struct Invalidation {
    enum class Kind { key, tag, pattern };
    Kind kind = Kind::key;
    std::string target;  // the key, the tag or the glob
    friend bool operator==(const Invalidation&, const Invalidation&) = default;
};

using InvalidationListener = std::function<void(const Invalidation&)>;
using ListenerId = std::uint64_t;

// True when `text` matches `glob`, where `*` matches any run of characters (also none) and `?` exactly
// one; every other character matches itself. Pure.
bool glob_match(std::string_view glob, std::string_view text);

class Cache {
  public:
    Cache() = default;
    Cache(const Cache&) = delete;
    Cache& operator=(const Cache&) = delete;
    virtual ~Cache() = default;

    // The value stored under `key`, or nullopt on a miss (absent or expired).
    virtual Result<std::optional<std::string>> get(std::string_view key) = 0;
    virtual CacheStats stats() const = 0;

    // The mutating calls are not virtual: each runs the implementation's do_* and then, on success,
    // tells the listeners, so every implementation notifies the same way.
    // set replaces any earlier value, TTL and tags of `key`.
    Result<void> set(std::string_view key, std::string_view value, const WriteOptions& options = {});
    Result<bool> erase(std::string_view key);                  // true when the key was present
    Result<std::size_t> invalidate_tag(std::string_view tag);  // entries dropped
    Result<std::size_t> clear_pattern(std::string_view glob);  // entries dropped; "*" clears all

    // Registers `listener`, run after every successful set (as Kind::key), erase, invalidate_tag and
    // clear_pattern made through this object; never for evictions, expiry or apply_remote. It runs on the
    // caller's thread with no cache lock held, so it may call back into the cache. A listener removed
    // while another thread is notifying may still run once for that notification.
    ListenerId add_invalidation_listener(InvalidationListener listener);
    void remove_invalidation_listener(ListenerId id);

    // Applies an invalidation received from another node, without telling the listeners (no echo).
    Result<std::size_t> apply_remote(const Invalidation& invalidation);

  protected:
    virtual Result<void> do_set(std::string_view key, std::string_view value,
                                const WriteOptions& options) = 0;
    virtual Result<bool> do_erase(std::string_view key) = 0;
    virtual Result<std::size_t> do_invalidate_tag(std::string_view tag) = 0;
    virtual Result<std::size_t> do_clear_pattern(std::string_view glob) = 0;

  private:
    void notify(const Invalidation& invalidation) const;

    mutable std::mutex listeners_mutex_;
    std::vector<std::pair<ListenerId, std::shared_ptr<const InvalidationListener>>> listeners_;
    ListenerId next_listener_id_ = 1;
};

}  // namespace vidgen::cache
