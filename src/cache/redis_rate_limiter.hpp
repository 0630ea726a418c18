// RedisRateLimiter: token buckets kept in Redis, so every node pointed at one server shares each client's
// budget. One bucket per client key (a hash under `prefix`, expiring once it would be full again); taking a
// token is one Lua script, atomic on the server, timed by the server's clock. Thread-safe; each call may
// block on the network for at most about `timeout` and fails with Code::io while Redis is unreachable.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace vidgen::cache {

namespace detail {
class RedisPool;
}

struct RedisRateLimitOptions {
    double requests_per_second = 1;  // refill rate; must be > 0
    double burst = 0;                // bucket size; 0: same as requests_per_second
    std::string prefix = "vidgen:rl:";
    std::size_t connections = 4;
    std::chrono::milliseconds timeout{200};
};

class RedisRateLimiter {
  public:
    // Checks the URL (redis://host:port[/db]) and the rate; connects lazily.
    static Result<std::unique_ptr<RedisRateLimiter>> open(std::string_view url,
                                                          RedisRateLimitOptions options);
    ~RedisRateLimiter();
    RedisRateLimiter(const RedisRateLimiter&) = delete;
    RedisRateLimiter& operator=(const RedisRateLimiter&) = delete;

    // Takes a token from `client`'s bucket: nullopt when it got one, otherwise the seconds until one is
    // available.
    Result<std::optional<double>> acquire(std::string_view client);

  private:
    RedisRateLimiter(std::unique_ptr<detail::RedisPool> pool, RedisRateLimitOptions options);

    std::unique_ptr<detail::RedisPool> pool_;
    RedisRateLimitOptions options_;
};

}  // namespace vidgen::cache
