// RedisSubscriber: a thread that keeps one connection SUBSCRIBEd to a channel (or PSUBSCRIBEd to a channel
// pattern) and hands each message's payload to a callback, reconnecting with back-off (50 ms doubling to 1 s)
// whenever the connection fails. Internal to cache/. The callbacks run on the subscriber's thread, one at a
// time; the constructor returns once the first attempt to subscribe has succeeded or failed, and the
// destructor stops and joins the thread.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "core/error.hpp"

namespace vidgen::cache {
class RedisCache;
}

namespace vidgen::cache::detail {

class RedisConnection;

struct SubscriberEvents {
    std::function<void(std::string_view)> message;
    std::function<void()> subscribed;         // each time a subscription is (re)established
    std::function<void(const Error&)> lost;   // a connect, subscribe or read failed
    std::function<bool()> recheck_requested;  // polled while idle: true drops and re-makes the connection
};

// What to listen to: one channel, or every channel matching a Redis glob pattern.
struct SubscriberTopic {
    std::string name;
    bool pattern = false;
};

class RedisSubscriber {
  public:
    RedisSubscriber(const RedisCache& redis, SubscriberTopic topic, SubscriberEvents events);
    ~RedisSubscriber();
    RedisSubscriber(const RedisSubscriber&) = delete;
    RedisSubscriber& operator=(const RedisSubscriber&) = delete;

  private:
    void run(const std::stop_token& stop);
    Result<std::unique_ptr<RedisConnection>> subscribe();
    // Reads messages until the connection fails (the error), a recheck is asked for or `stop`.
    Result<void> listen(RedisConnection& connection, const std::stop_token& stop);
    void first_attempt_done();

    const RedisCache& redis_;
    const SubscriberTopic topic_;
    const SubscriberEvents events_;
    std::mutex mutex_;
    std::condition_variable_any wake_;
    bool first_attempt_done_ = false;
    std::jthread thread_;  // last: starts after everything it uses
};

}  // namespace vidgen::cache::detail
