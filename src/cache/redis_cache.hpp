// RedisCache: the Cache layer kept in a Redis server (hiredis, a small connection pool), shared by every
// node that points at it. Values over `compress_above` bytes are stored zstd-compressed, TTLs are Redis
// PX expiries, and each tag is a Redis set of the keys written with it. All keys live under `prefix`.
// A lost connection makes calls fail with Code::io (callers treat a failed get as a miss); the pool
// reconnects by itself with back-off. Every method is thread-safe; every call may block on the network
// for at most about `timeout`.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "cache/cache.hpp"
#include "cache/detail/latency_window.hpp"

namespace vidgen::cache {

namespace detail {
class RedisPool;
class RedisConnection;
}  // namespace detail

struct RedisCacheOptions {
    std::string prefix = "vidgen:";           // every Redis key this cache touches starts with it
    std::size_t connections = 4;              // pool size
    std::chrono::milliseconds timeout{1000};  // connect and per-call I/O timeout
    std::size_t compress_above = 1024;
    int compression_level = 1;
};

// A stored value with what remains of its TTL (0: none) and its tags, for filling an upper layer.
struct RedisEntry {
    std::string value;
    std::chrono::milliseconds ttl{0};
    std::vector<std::string> tags;
};

class RedisCache final : public Cache {
  public:
    // Checks the URL (redis://host:port[/db]); connects lazily, so a server that is down is not an error
    // here but on each call until it is back.
    static Result<std::unique_ptr<RedisCache>> open(std::string_view url, RedisCacheOptions options = {});
    ~RedisCache() override;

    Result<std::optional<std::string>> get(std::string_view key) override;
    // get, with the entry's remaining TTL and tags (one pipelined round trip).
    Result<std::optional<RedisEntry>> get_entry(std::string_view key);
    CacheStats stats() const override;
    LayerStats layer_stats() const;      // hits, misses, sets and invalidations of this object's calls
    LatencyPercentiles latency() const;  // of this object's last few thousand calls

    // PUBLISH `message` on `channel`; the number of subscribers that received it.
    Result<long long> publish(std::string_view channel, std::string_view message);
    // A new connection of its own (not from the pool), for a subscriber; opening it ends the pool's
    // back-off, since the server answers again.
    Result<std::unique_ptr<detail::RedisConnection>> dedicated_connection() const;

  protected:
    Result<void> do_set(std::string_view key, std::string_view value, const WriteOptions& options) override;
    Result<bool> do_erase(std::string_view key) override;
    Result<std::size_t> do_invalidate_tag(std::string_view tag) override;
    // SCAN MATCH over this cache's keys; keys written while it scans may survive.
    Result<std::size_t> do_clear_pattern(std::string_view glob) override;

  private:
    RedisCache(std::unique_ptr<detail::RedisPool> pool, RedisCacheOptions options);
    template <typename T>
    Result<T> timed(const std::function<Result<T>(detail::RedisConnection&)>& call);
    std::string value_key(std::string_view key) const { return options_.prefix + "k:" + std::string(key); }
    std::string tags_key(std::string_view key) const { return options_.prefix + "kt:" + std::string(key); }
    std::string tag_key(std::string_view tag) const { return options_.prefix + "tag:" + std::string(tag); }

    std::unique_ptr<detail::RedisPool> pool_;
    RedisCacheOptions options_;
    detail::LatencyWindow latency_;
    std::atomic<std::uint64_t> hits_{0};
    std::atomic<std::uint64_t> misses_{0};
    std::atomic<std::uint64_t> sets_{0};
    std::atomic<std::uint64_t> invalidations_{0};
};

// `glob` (ours: `*` and `?` are wildcards, every other character is itself) as a Redis MATCH pattern.
std::string redis_match_pattern(std::string_view glob);

}  // namespace vidgen::cache
