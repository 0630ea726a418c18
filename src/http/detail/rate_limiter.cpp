#include "http/detail/rate_limiter.hpp"

#include <algorithm>
#include <functional>

namespace vidgen::http::detail {
namespace {

constexpr std::size_t kShardEntriesBeforeSweep = 4096;

}  // namespace

LocalRateLimiter::LocalRateLimiter(double requests_per_second, double burst)
    : rate_(requests_per_second), burst_(burst > 0 ? burst : requests_per_second) {}

std::optional<double> LocalRateLimiter::acquire(std::string_view client, Clock::time_point now) {
    Shard& shard = shards_[std::hash<std::string_view>()(client) % shards_.size()];
    std::lock_guard lock(shard.mutex);
    auto found = shard.buckets.find(std::string(client));
    if (found == shard.buckets.end()) {
        if (shard.buckets.size() >= kShardEntriesBeforeSweep) drop_full(shard, now);
        found = shard.buckets.emplace(std::string(client), Bucket{burst_, now}).first;
    }
    Bucket& bucket = found->second;
    const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
    bucket.tokens = std::min(burst_, bucket.tokens + std::max(0.0, elapsed) * rate_);
    bucket.updated = std::max(bucket.updated, now);
    if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return std::nullopt;
    }
    return (1 - bucket.tokens) / rate_;
}

void LocalRateLimiter::drop_full(Shard& shard, Clock::time_point now) {
    std::erase_if(shard.buckets, [&](const auto& entry) {
        const double elapsed = std::chrono::duration<double>(now - entry.second.updated).count();
        return entry.second.tokens + elapsed * rate_ >= burst_;
    });
}

}  // namespace vidgen::http::detail
