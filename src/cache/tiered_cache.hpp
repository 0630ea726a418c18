// TieredCache: a MemoryCache in front of a RedisCache, kept coherent across nodes. A read goes memory →
// Redis → miss and fills the memory layer back (with the entry's remaining TTL and tags); writes and
// invalidations go to both layers and are PUBLISHed on a channel, and a subscriber thread on every node
// applies the other nodes' messages to its memory layer as they arrive (well under 100 ms).
// When Redis is unreachable the cache serves from memory alone: errors are counted, a warning is logged
// once, and when Redis answers again the memory layer is cleared (it may have missed invalidations) and
// the subscription resumes by itself. What this node wrote meanwhile is then applied to Redis and
// published (each missed key, tag or pattern; past kMaxMissed, one clear of everything), so no other node
// keeps serving what it wrote while Redis was away. Every method is thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "cache/memory_cache.hpp"
#include "cache/redis_cache.hpp"
#include "core/metrics.hpp"

namespace vidgen::cache {

namespace detail {
class RedisSubscriber;
}

struct TieredCacheOptions {
    std::string channel = "vidgen:invalidate";                    // every node of one cluster uses the same
    std::chrono::milliseconds fill_ttl{std::chrono::minutes(5)};  // memory TTL of Redis entries with none
    // When given: vidgen_cache_redis_errors_total and vidgen_cache_redis_degraded (1 while memory-only).
    MetricsRegistry* metrics = nullptr;
};

class TieredCache final : public Cache {
  public:
    // Starts the subscriber and returns once its first attempt to subscribe has ended, either way.
    TieredCache(std::unique_ptr<MemoryCache> memory, std::unique_ptr<RedisCache> redis,
                TieredCacheOptions options = {});
    ~TieredCache() override;

    // A failed Redis read is a miss here, not an error.
    Result<std::optional<std::string>> get(std::string_view key) override;
    CacheStats stats() const override;  // memory, then redis
    LatencyPercentiles redis_latency() const;

    bool degraded() const { return degraded_.load(); }  // serving from memory alone
    const std::string& node_id() const { return node_id_; }

  protected:
    // Each writes Redis, then memory, then publishes; a Redis failure degrades the cache and is not
    // an error (the memory layer was still written). The count is Redis's, or memory's when degraded.
    Result<void> do_set(std::string_view key, std::string_view value, const WriteOptions& options) override;
    Result<bool> do_erase(std::string_view key) override;
    Result<std::size_t> do_invalidate_tag(std::string_view tag) override;
    Result<std::size_t> do_clear_pattern(std::string_view glob) override;

  private:
    // Counts of memory changes: one per stripe of keys (by hash) and one for tag, pattern and clear
    // changes, which may touch any key. A fill lands only when neither moved since its Redis read began.
    struct Epochs {
        std::uint64_t key = 0;
        std::uint64_t broad = 0;
        bool operator==(const Epochs&) const = default;
    };
    std::atomic<std::uint64_t>& key_epoch(std::string_view key);
    Epochs epochs_of(std::string_view key);
    void fill_memory(std::string_view key, const RedisEntry& entry, Epochs seen);
    // Runs `change` on the memory layer, of `key` alone or (nullopt) of any key, so that no fill that
    // started before it can land after it.
    template <typename Change>
    auto change_memory(std::optional<std::string_view> key, Change&& change);
    void publish(const Invalidation& invalidation);
    // Keeps an invalidation that did not reach Redis or the channel, for replay_missed().
    void remember_missed(Invalidation invalidation);
    // Applies the missed invalidations to Redis and publishes them; false (the rest kept) at the first
    // that fails.
    bool replay_missed();
    void on_message(std::string_view message);
    void on_subscribed();
    void on_redis_error(const Error& error);

    std::unique_ptr<MemoryCache> memory_;
    std::unique_ptr<RedisCache> redis_;
    TieredCacheOptions options_;
    std::string node_id_;
    static constexpr std::size_t kEpochStripes = 64;
    std::shared_mutex fill_mutex_;  // fills shared, memory changes exclusive
    std::array<std::atomic<std::uint64_t>, kEpochStripes> key_epochs_{};
    std::atomic<std::uint64_t> broad_epoch_{0};
    std::atomic<bool> degraded_{false};
    std::atomic<bool> ever_subscribed_{false};
    static constexpr std::size_t kMaxMissed = 1000;
    std::mutex missed_mutex_;
    std::vector<Invalidation> missed_;  // guarded by missed_mutex_; {pattern "*"} once it overflowed
    Counter* errors_ = nullptr;
    Gauge* degraded_gauge_ = nullptr;
    std::unique_ptr<detail::RedisSubscriber> subscriber_;  // last: stops first
};

}  // namespace vidgen::cache
