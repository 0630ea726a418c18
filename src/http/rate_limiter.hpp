// RateLimiter: the server's per-client request budget (token buckets; a refusal says how long to wait).
// Two implementations: buckets in this process, and buckets shared by every node through Redis (with the
// local buckets deciding while Redis cannot answer). Thread-safe: acquire may be called from any thread.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "core/error.hpp"

namespace vidgen::http {

struct RateLimit {
    double requests_per_second = 0;  // per API key (per remote address for open routes); 0: unlimited
    double burst = 0;                // bucket size; 0: same as requests_per_second
};

class RateLimiter {
  public:
    virtual ~RateLimiter() = default;
    // Takes a token for `client`; nullopt when it got one, otherwise the seconds until one is available.
    virtual std::optional<double> acquire(std::string_view client) = 0;
};

// Buckets in this process; `limit.requests_per_second` must be > 0.
std::unique_ptr<RateLimiter> make_local_rate_limiter(const RateLimit& limit);

// Buckets in the Redis server at `url` (redis://host:port[/db]), shared by every node that uses it. While
// Redis cannot answer, local buckets with the same limit decide (logged once per outage). Errors: a bad
// URL, or `limit.requests_per_second` not > 0; an unreachable server is not one.
Result<std::unique_ptr<RateLimiter>> make_redis_rate_limiter(std::string_view url, const RateLimit& limit);

}  // namespace vidgen::http
