// Token buckets per client (an API key id, or a remote address for open routes). Buckets live in shards
// with a mutex each; full buckets are dropped when a shard grows large, so memory stays bounded.
// Thread-safe.
#pragma once

#include <array>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace vidgen::http::detail {

class RateLimiter {
  public:
    using Clock = std::chrono::steady_clock;
    RateLimiter(double requests_per_second, double burst);

    bool enabled() const { return rate_ > 0; }
    // Takes a token for `client`; nullopt when it got one, otherwise the seconds until one is available.
    std::optional<double> acquire(std::string_view client, Clock::time_point now = Clock::now());

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
