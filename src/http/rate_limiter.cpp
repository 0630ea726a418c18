#include "http/rate_limiter.hpp"

#include <spdlog/spdlog.h>

#include <atomic>

#include "cache/redis_rate_limiter.hpp"
#include "http/detail/rate_limiter.hpp"

namespace vidgen::http {
namespace {

class RedisBackedRateLimiter final : public RateLimiter {
  public:
    RedisBackedRateLimiter(std::unique_ptr<cache::RedisRateLimiter> redis, const RateLimit& limit)
        : redis_(std::move(redis)), fallback_(limit.requests_per_second, limit.burst) {}

    std::optional<double> acquire(std::string_view client) override {
        auto taken = redis_->acquire(client);
        if (taken) {
            if (outage_.exchange(false)) spdlog::info("http: rate limits are shared through Redis again");
            return *taken;
        }
        if (!outage_.exchange(true)) {
            spdlog::warn("http: Redis unreachable, rate limits are per node until it is back: {}",
                         taken.error().message);
        }
        return fallback_.acquire(client);
    }

  private:
    std::unique_ptr<cache::RedisRateLimiter> redis_;
    detail::LocalRateLimiter fallback_;
    std::atomic<bool> outage_{false};
};

}  // namespace

std::unique_ptr<RateLimiter> make_local_rate_limiter(const RateLimit& limit) {
    return std::make_unique<detail::LocalRateLimiter>(limit.requests_per_second, limit.burst);
}

Result<std::unique_ptr<RateLimiter>> make_redis_rate_limiter(std::string_view url, const RateLimit& limit) {
    auto redis = cache::RedisRateLimiter::open(
        url, {.requests_per_second = limit.requests_per_second, .burst = limit.burst});
    if (!redis) return std::unexpected(redis.error());
    return std::make_unique<RedisBackedRateLimiter>(std::move(*redis), limit);
}

}  // namespace vidgen::http
