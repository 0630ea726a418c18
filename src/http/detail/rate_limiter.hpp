// LocalRateLimiter: token buckets per client (an API key id, or a remote address for open routes) in this
// process. Buckets live in shards with a mutex each; full buckets are dropped when a shard grows large, so
// memory stays bounded. Thread-safe.
#pragma once

#include <array>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "http/rate_limiter.hpp"

namespace vidgen::http::detail {

class LocalRateLimiter final : public RateLimiter {
  public:
    using Clock = std::chrono::steady_clock;
    // `requests_per_second` must be > 0; a `burst` of 0 is the same as `requests_per_second`.
    LocalRateLimiter(double requests_per_second, double burst);

    std::optional<double> acquire(std::string_view client) override { return acquire(client, Clock::now()); }
    // acquire() at `now`.
    std::optional<double> acquire(std::string_view client, Clock::time_point now);

  private:
    struct Bucket {
        double tokens = 0;
        Clock::time_point updated;
    };
    struct Shard {
        std::mutex mutex;
        std::unordered_map<std::string, Bucket> buckets;
    };
    void drop_full(Shard& shard, Clock::time_point now);

    double rate_;
    double burst_;
    std::array<Shard, 16> shards_;
};

}  // namespace vidgen::http::detail
