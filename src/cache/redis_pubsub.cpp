#include "cache/redis_pubsub.hpp"

#include "cache/detail/redis_subscriber.hpp"
#include "cache/redis_cache.hpp"

namespace vidgen::cache {

Result<std::unique_ptr<RedisPubSub>> RedisPubSub::open(std::string_view url, std::string pattern,
                                                       PubSubHandlers handlers,
                                                       std::chrono::milliseconds timeout) {
    auto redis = RedisCache::open(url, {.connections = 2, .timeout = timeout});
    if (!redis) return std::unexpected(redis.error());
    return std::unique_ptr<RedisPubSub>(
        new RedisPubSub(std::move(*redis), std::move(pattern), std::move(handlers)));
}

RedisPubSub::RedisPubSub(std::unique_ptr<RedisCache> redis, std::string pattern, PubSubHandlers handlers)
    : redis_(std::move(redis)), handlers_(std::move(handlers)) {
    subscriber_ = std::make_unique<detail::RedisSubscriber>(
        *redis_, detail::SubscriberTopic{std::move(pattern), true},
        detail::SubscriberEvents{.message = [this](std::string_view payload) { handlers_.message(payload); },
                                 .subscribed =
                                     [this] {
                                         if (handlers_.subscribed) handlers_.subscribed();
                                     },
                                 .lost =
                                     [this](const Error& error) {
                                         if (handlers_.lost) handlers_.lost(error);
                                     },
                                 .recheck_requested = [] { return false; }});
}

RedisPubSub::~RedisPubSub() = default;

Result<void> RedisPubSub::publish(std::string_view channel, std::string_view message) {
    auto published = redis_->publish(channel, message);
    if (!published) return std::unexpected(published.error());
    return {};
}

}  // namespace vidgen::cache
