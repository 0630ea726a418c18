#include "cache/redis_rate_limiter.hpp"

#include <fmt/format.h>

#include "cache/detail/redis_connection.hpp"
#include "cache/detail/redis_pool.hpp"

namespace vidgen::cache {
namespace {

// KEYS[1]: the bucket; ARGV: rate per second, burst. Returns 0 when a token was taken, otherwise the
// milliseconds until one will be there. The bucket expires when it would have refilled completely.
constexpr std::string_view kTakeToken = R"lua(
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens = tonumber(state[1]) or burst
local updated = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - updated) / 1000 * rate)
local wait_ms = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait_ms = math.max(1, math.ceil((1 - tokens) / rate * 1000))
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated', math.max(now, updated))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return wait_ms
)lua";

}  // namespace

Result<std::unique_ptr<RedisRateLimiter>> RedisRateLimiter::open(std::string_view url,
                                                                 RedisRateLimitOptions options) {
    if (!(options.requests_per_second > 0)) {
        return fail(Code::invalid_argument, "redis rate limit: requests_per_second must be > 0");
    }
    if (options.burst <= 0) options.burst = options.requests_per_second;
    auto address = detail::parse_redis_url(url);
    if (!address) return std::unexpected(address.error());
    auto pool =
        std::make_unique<detail::RedisPool>(std::move(*address), options.connections, options.timeout);
    return std::unique_ptr<RedisRateLimiter>(new RedisRateLimiter(std::move(pool), std::move(options)));
}

RedisRateLimiter::RedisRateLimiter(std::unique_ptr<detail::RedisPool> pool, RedisRateLimitOptions options)
    : pool_(std::move(pool)), options_(std::move(options)) {}

RedisRateLimiter::~RedisRateLimiter() = default;

Result<std::optional<double>> RedisRateLimiter::acquire(std::string_view client) {
    const detail::Command command{"EVAL",
                                  std::string(kTakeToken),
                                  "1",
                                  options_.prefix + std::string(client),
                                  fmt::format("{}", options_.requests_per_second),
                                  fmt::format("{}", options_.burst)};
    auto reply = pool_->with<detail::Reply>(
        [&](detail::RedisConnection& connection) { return connection.run(command); });
    if (!reply) return std::unexpected(reply.error());
    const long long wait_ms = detail::reply_integer(**reply);
    if (wait_ms <= 0) return std::nullopt;
    return static_cast<double>(wait_ms) / 1000.0;
}

}  // namespace vidgen::cache
