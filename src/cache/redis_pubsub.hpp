// RedisPubSub: messages published on Redis channels and received, on a thread of its own, from every
// channel matching one pattern — a bus between the nodes of a cluster (job events). The subscriber thread
// reconnects by itself with back-off after Redis goes away; messages published meanwhile are lost.
// Thread-safe: publish may be called from any thread; the handlers run on the subscriber thread, one at a
// time, and not after the destructor returns.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace vidgen::cache {

class RedisCache;
namespace detail {
class RedisSubscriber;
}

struct PubSubHandlers {
    std::function<void(std::string_view payload)> message;
    std::function<void()> subscribed;        // each time the subscription is (re)established; may be empty
    std::function<void(const Error&)> lost;  // a connect, subscribe or read failed; may be empty
};

class RedisPubSub {
  public:
    // Checks the URL (redis://host:port[/db]), starts the subscriber on `pattern` (a Redis glob) and
    // returns once its first attempt to subscribe has ended, either way: Redis being down is no error.
    static Result<std::unique_ptr<RedisPubSub>> open(
        std::string_view url, std::string pattern, PubSubHandlers handlers,
        std::chrono::milliseconds timeout = std::chrono::milliseconds{500});
    ~RedisPubSub();
    RedisPubSub(const RedisPubSub&) = delete;
    RedisPubSub& operator=(const RedisPubSub&) = delete;

    // PUBLISH; a Code::io error when Redis cannot be reached (at once while the pool backs off).
    Result<void> publish(std::string_view channel, std::string_view message);

  private:
    RedisPubSub(std::unique_ptr<RedisCache> redis, std::string pattern, PubSubHandlers handlers);

    std::unique_ptr<RedisCache> redis_;
    PubSubHandlers handlers_;
    std::unique_ptr<detail::RedisSubscriber> subscriber_;  // last: stops first
};

}  // namespace vidgen::cache
