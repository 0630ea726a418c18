#include "cache/detail/redis_pool.hpp"

#include <algorithm>

namespace vidgen::cache::detail {
namespace {

constexpr std::chrono::milliseconds kFirstBackoff{50};
constexpr std::chrono::milliseconds kMaxBackoff{1000};

}  // namespace

RedisPool::RedisPool(RedisAddress address, std::size_t size, std::chrono::milliseconds timeout)
    : address_(std::move(address)), size_(std::max<std::size_t>(size, 1)), timeout_(timeout) {}

Result<RedisPool::Borrowed> RedisPool::borrow() {
    std::unique_lock lock(mutex_);
    returned_.wait(lock, [&] { return !idle_.empty() || open_ < size_; });
    if (!idle_.empty()) {
        Borrowed borrowed{std::move(idle_.back()), true};
        idle_.pop_back();
        return borrowed;
    }
    if (std::chrono::steady_clock::now() < retry_at_) return std::unexpected(last_error_);
    ++open_;
    lock.unlock();
    auto connection = connect();
    if (connection) return Borrowed{std::move(*connection), false};
    std::lock_guard relock(mutex_);
    --open_;
    returned_.notify_one();
    return std::unexpected(connection.error());
}

Result<std::unique_ptr<RedisConnection>> RedisPool::connect() {
    auto connection = RedisConnection::open(address_, timeout_);
    std::lock_guard lock(mutex_);
    if (connection) {
        backoff_ = std::chrono::milliseconds{0};
        return connection;
    }
    backoff_ = std::clamp(backoff_ * 2, kFirstBackoff, kMaxBackoff);
    retry_at_ = std::chrono::steady_clock::now() + backoff_;
    last_error_ = connection.error();
    return connection;
}

void RedisPool::server_answered() {
    std::lock_guard lock(mutex_);
    backoff_ = std::chrono::milliseconds{0};
    retry_at_ = {};
}

void RedisPool::give_back(std::unique_ptr<RedisConnection> connection) {
    std::lock_guard lock(mutex_);
    if (connection->broken()) {  // the server went away: the idle ones are most likely dead too
        open_ -= idle_.size() + 1;
        idle_.clear();
    } else {
        idle_.push_back(std::move(connection));
    }
    returned_.notify_one();
}

}  // namespace vidgen::cache::detail
