#include "cache/redis_cache.hpp"

#include <fmt/format.h>
#include <hiredis/hiredis.h>

#include "cache/detail/redis_codec.hpp"
#include "cache/detail/redis_pool.hpp"

namespace vidgen::cache {
namespace {

using detail::Command;
using detail::RedisConnection;

// KEYS: value key, the key's tag set. ARGV: value, ttl ms ("0": none), tag key prefix, the key, tags...
// Drops the key from the tags it had before, so a later invalidation of those leaves the new value be.
constexpr std::string_view kSetScript = R"lua(
for _, t in ipairs(redis.call('SMEMBERS', KEYS[2])) do redis.call('SREM', ARGV[3] .. t, ARGV[4]) end
redis.call('DEL', KEYS[2])
if ARGV[2] == '0' then redis.call('SET', KEYS[1], ARGV[1])
else redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
for i = 5, #ARGV do
  redis.call('SADD', ARGV[3] .. ARGV[i], ARGV[4])
  redis.call('SADD', KEYS[2], ARGV[i])
end
if #ARGV >= 5 and ARGV[2] ~= '0' then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
return 1
)lua";

// KEYS: the tag set. ARGV: value key prefix, tag set key prefix. Deletes the members and the set.
constexpr std::string_view kInvalidateTagScript = R"lua(
local dropped = 0
for _, key in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  dropped = dropped + redis.call('UNLINK', ARGV[1] .. key)
  redis.call('UNLINK', ARGV[2] .. key)
end
redis.call('UNLINK', KEYS[1])
return dropped
)lua";

constexpr std::size_t kScanCount = 1000;

std::string escape_literal(std::string_view text) {
    std::string escaped;
    for (char c : text) {
        if (c == '[' || c == ']' || c == '\\' || c == '*' || c == '?') escaped.push_back('\\');
        escaped.push_back(c);
    }
    return escaped;
}

}  // namespace

std::string redis_match_pattern(std::string_view glob) {
    std::string pattern;
    for (char c : glob) {
        if (c == '[' || c == ']' || c == '\\') pattern.push_back('\\');
        pattern.push_back(c);
    }
    return pattern;
}

Result<std::unique_ptr<RedisCache>> RedisCache::open(std::string_view url, RedisCacheOptions options) {
    auto address = detail::parse_redis_url(url);
    if (!address) return std::unexpected(address.error());
    auto pool = std::make_unique<detail::RedisPool>(*address, options.connections, options.timeout);
    return std::unique_ptr<RedisCache>(new RedisCache(std::move(pool), std::move(options)));
}

RedisCache::RedisCache(std::unique_ptr<detail::RedisPool> pool, RedisCacheOptions options)
    : pool_(std::move(pool)), options_(std::move(options)) {}

RedisCache::~RedisCache() = default;

template <typename T>
Result<T> RedisCache::timed(const std::function<Result<T>(RedisConnection&)>& call) {
    const auto start = std::chrono::steady_clock::now();
    Result<T> result = pool_->with<T>(call);
    latency_.record(std::chrono::steady_clock::now() - start);
    return result;
}

Result<std::optional<std::string>> RedisCache::get(std::string_view key) {
    const std::string stored_key = value_key(key);
    auto reply = timed<detail::Reply>([&](RedisConnection& connection) {
        return connection.run({"GET", stored_key});
    });
    if (!reply) return std::unexpected(reply.error());
    if (detail::reply_is_nil(**reply)) {
        ++misses_;
        return std::nullopt;
    }
    auto decoded = detail::decode_redis_value(detail::reply_text(**reply));
    if (!decoded) return std::unexpected(decoded.error());
    ++hits_;
    return std::optional<std::string>(std::move(*decoded));
}

Result<std::optional<RedisEntry>> RedisCache::get_entry(std::string_view key) {
    const std::string stored_key = value_key(key);
    auto replies = timed<std::vector<detail::Reply>>([&](RedisConnection& connection) {
        return connection.pipeline({{"GET", stored_key}, {"PTTL", stored_key}, {"SMEMBERS", tags_key(key)}});
    });
    if (!replies) return std::unexpected(replies.error());
    const auto& [value, ttl, tags] = std::tie((*replies)[0], (*replies)[1], (*replies)[2]);
    if (detail::reply_is_nil(*value) || detail::reply_integer(*ttl) == -2) {
        ++misses_;
        return std::nullopt;
    }
    auto decoded = detail::decode_redis_value(detail::reply_text(*value));
    if (!decoded) return std::unexpected(decoded.error());
    ++hits_;
    RedisEntry entry{
        std::move(*decoded), std::chrono::milliseconds(std::max(0LL, detail::reply_integer(*ttl))), {}};
    for (const redisReply* tag : detail::reply_elements(*tags))
        entry.tags.push_back(detail::reply_text(*tag));
    return entry;
}

Result<void> RedisCache::do_set(std::string_view key, std::string_view value, const WriteOptions& options) {
    if (options.ttl.count() < 0) return fail(Code::invalid_argument, "cache ttl must not be negative");
    Command command = {"EVAL",
                       std::string(kSetScript),
                       "2",
                       value_key(key),
                       tags_key(key),
                       detail::encode_redis_value(value, options_.compress_above, options_.compression_level),
                       std::to_string(options.ttl.count()),
                       options_.prefix + "tag:",
                       std::string(key)};
    command.insert(command.end(), options.tags.begin(), options.tags.end());
    auto done = timed<detail::Reply>([&](RedisConnection& connection) { return connection.run(command); });
    if (!done) return std::unexpected(done.error());
    ++sets_;
    return {};
}

Result<bool> RedisCache::do_erase(std::string_view key) {
    auto replies = timed<std::vector<detail::Reply>>([&](RedisConnection& connection) {
        return connection.pipeline({{"UNLINK", value_key(key)}, {"UNLINK", tags_key(key)}});
    });
    if (!replies) return std::unexpected(replies.error());
    const bool erased = detail::reply_integer(*(*replies)[0]) > 0;
    if (erased) ++invalidations_;
    return erased;
}

Result<std::size_t> RedisCache::do_invalidate_tag(std::string_view tag) {
    const Command command = {"EVAL",
                             std::string(kInvalidateTagScript),
                             "1",
                             tag_key(tag),
                             options_.prefix + "k:",
                             options_.prefix + "kt:"};
    auto done = timed<detail::Reply>([&](RedisConnection& connection) { return connection.run(command); });
    if (!done) return std::unexpected(done.error());
    const auto dropped = static_cast<std::size_t>(detail::reply_integer(**done));
    invalidations_ += dropped;
    return dropped;
}

Result<std::size_t> RedisCache::do_clear_pattern(std::string_view glob) {
    const std::string keys_prefix = options_.prefix + "k:";
    const std::string match = escape_literal(keys_prefix) + redis_match_pattern(glob);
    auto dropped = timed<std::size_t>([&](RedisConnection& connection) -> Result<std::size_t> {
        std::size_t total = 0;
        std::string cursor = "0";
        do {
            auto page = connection.run({"SCAN", cursor, "MATCH", match, "COUNT", std::to_string(kScanCount)});
            if (!page) return std::unexpected(page.error());
            auto parts = detail::reply_elements(**page);
            if (parts.size() != 2) return fail(Code::internal, "redis: unexpected SCAN reply");
            cursor = detail::reply_text(*parts[0]);
            Command unlink_values = {"UNLINK"};
            Command unlink_tags = {"UNLINK"};
            for (const redisReply* key : detail::reply_elements(*parts[1])) {
                unlink_values.push_back(detail::reply_text(*key));
                unlink_tags.push_back(tags_key(unlink_values.back().substr(keys_prefix.size())));
            }
            if (unlink_values.size() == 1) continue;
            auto unlinked = connection.pipeline({unlink_values, unlink_tags});
            if (!unlinked) return std::unexpected(unlinked.error());
            total += static_cast<std::size_t>(detail::reply_integer(*(*unlinked)[0]));
        } while (cursor != "0");
        return total;
    });
    if (dropped) invalidations_ += *dropped;
    return dropped;
}

Result<long long> RedisCache::publish(std::string_view channel, std::string_view message) {
    auto done = timed<detail::Reply>([&](RedisConnection& connection) {
        return connection.run({"PUBLISH", std::string(channel), std::string(message)});
    });
    if (!done) return std::unexpected(done.error());
    return detail::reply_integer(**done);
}

Result<std::unique_ptr<detail::RedisConnection>> RedisCache::dedicated_connection() const {
    auto connection = RedisConnection::open(pool_->address(), pool_->timeout());
    if (connection) pool_->server_answered();
    return connection;
}

CacheStats RedisCache::stats() const {
    return CacheStats{{layer_stats()}};
}

LayerStats RedisCache::layer_stats() const {
    LayerStats stats;
    stats.layer = "redis";
    stats.hits = hits_.load();
    stats.misses = misses_.load();
    stats.sets = sets_.load();
    stats.invalidations = invalidations_.load();
    stats.latency = latency_.percentiles();
    return stats;
}

LatencyPercentiles RedisCache::latency() const {
    return latency_.percentiles();
}

}  // namespace vidgen::cache
