// RedisPool: up to `size` RedisConnections shared by threads. A caller borrows one for a call and gives it
// back; a broken connection is dropped instead. When connecting fails the pool backs off (doubling from
// 50 ms to 1 s) and answers every borrow during the back-off with a Code::io error at once, so callers
// never pile up on a dead server; the first borrow after it tries again. Internal to cache/. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "cache/detail/redis_connection.hpp"

namespace vidgen::cache::detail {

class RedisPool {
  public:
    RedisPool(RedisAddress address, std::size_t size, std::chrono::milliseconds timeout);

    // Runs `call` on a borrowed connection; its error, or the pool's when no connection can be had.
    // When an idle connection turns out broken (the server restarted since), `call` runs once more on
    // a new one: every call must be safe to repeat.
    template <typename T>
    Result<T> with(const std::function<Result<T>(RedisConnection&)>& call) {
        for (int attempt = 0;; ++attempt) {
            auto borrowed = borrow();
            if (!borrowed) return std::unexpected(borrowed.error());
            Result<T> result = call(*borrowed->connection);
            const bool stale = borrowed->was_idle && borrowed->connection->broken();
            give_back(std::move(borrowed->connection));
            if (!stale || attempt > 0) return result;
        }
    }

    // Ends a back-off at once: another connection to the same server (a subscriber's) just opened, so the
    // next borrow connects instead of failing until the back-off runs out.
    void server_answered();

    const RedisAddress& address() const { return address_; }
    std::chrono::milliseconds timeout() const { return timeout_; }

  private:
    struct Borrowed {
        std::unique_ptr<RedisConnection> connection;
        bool was_idle = false;  // opened by an earlier call, not this one
    };
    Result<Borrowed> borrow();
    void give_back(std::unique_ptr<RedisConnection> connection);
    Result<std::unique_ptr<RedisConnection>> connect();

    const RedisAddress address_;
    const std::size_t size_;
    const std::chrono::milliseconds timeout_;
    std::mutex mutex_;
    std::condition_variable returned_;
    std::vector<std::unique_ptr<RedisConnection>> idle_;
    std::size_t open_ = 0;  // idle plus borrowed
    std::chrono::steady_clock::time_point retry_at_{};
    std::chrono::milliseconds backoff_{0};
    Error last_error_;
};

}  // namespace vidgen::cache::detail
