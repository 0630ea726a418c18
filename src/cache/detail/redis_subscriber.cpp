#include "cache/detail/redis_subscriber.hpp"

#include <hiredis/hiredis.h>

#include <algorithm>

#include "cache/detail/redis_connection.hpp"
#include "cache/redis_cache.hpp"

namespace vidgen::cache::detail {
namespace {

using namespace std::chrono_literals;

constexpr std::chrono::milliseconds kFirstBackoff{50};
constexpr std::chrono::milliseconds kMaxBackoff{1000};
constexpr std::chrono::milliseconds kPollInterval{20};  // how soon a stop or a recheck is noticed

// The payload of a pub/sub "message" or "pmessage" reply, or nullopt for other replies (subscribe
// confirmations).
std::optional<std::string> message_payload(const redisReply& reply) {
    auto parts = reply_elements(reply);
    if (parts.size() == 3 && reply_text(*parts[0]) == "message") return reply_text(*parts[2]);
    if (parts.size() == 4 && reply_text(*parts[0]) == "pmessage") return reply_text(*parts[3]);
    return std::nullopt;
}

}  // namespace

RedisSubscriber::RedisSubscriber(const RedisCache& redis, SubscriberTopic topic, SubscriberEvents events)
    : redis_(redis), topic_(std::move(topic)), events_(std::move(events)) {
    thread_ = std::jthread([this](const std::stop_token& stop) { run(stop); });
    std::unique_lock lock(mutex_);
    wake_.wait(lock, [&] { return first_attempt_done_; });
}

RedisSubscriber::~RedisSubscriber() {
    thread_.request_stop();
    wake_.notify_all();
}

void RedisSubscriber::first_attempt_done() {
    std::lock_guard lock(mutex_);
    first_attempt_done_ = true;
    wake_.notify_all();
}

void RedisSubscriber::run(const std::stop_token& stop) {
    std::chrono::milliseconds backoff{0};
    while (!stop.stop_requested()) {
        auto connection = subscribe();
        if (connection) {
            backoff = 0ms;
            events_.subscribed();
            first_attempt_done();
            auto ended = listen(**connection, stop);
            if (!ended) events_.lost(ended.error());
            continue;
        }
        events_.lost(connection.error());
        first_attempt_done();
        backoff = std::clamp(backoff * 2, kFirstBackoff, kMaxBackoff);
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, stop, backoff, [] { return false; });
    }
}

Result<std::unique_ptr<RedisConnection>> RedisSubscriber::subscribe() {
    auto connection = redis_.dedicated_connection();
    if (!connection) return connection;
    auto confirmed = (*connection)->run({topic_.pattern ? "PSUBSCRIBE" : "SUBSCRIBE", topic_.name});
    if (!confirmed) return std::unexpected(confirmed.error());
    return connection;
}

Result<void> RedisSubscriber::listen(RedisConnection& connection, const std::stop_token& stop) {
    while (!stop.stop_requested()) {
        auto reply = connection.next_reply(kPollInterval);
        if (!reply) return std::unexpected(reply.error());
        if (*reply) {
            if (auto payload = message_payload(**reply)) events_.message(*payload);
        }
        if (events_.recheck_requested()) return {};
    }
    return {};
}

}  // namespace vidgen::cache::detail
