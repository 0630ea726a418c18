#include "store/detail/pg_pool.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace vidgen::store::detail {

using Clock = std::chrono::steady_clock;

PgPool::PgPool(std::string url, const StoreOptions& options)
    : url_(std::move(url)),
      options_(options),
      connection_options_{options.statement_timeout, options.slow_query_threshold, options.metrics} {
    options_.max_connections = std::max(options_.max_connections, 1);
    options_.min_connections = std::clamp(options_.min_connections, 0, options_.max_connections);
    closer_ = std::jthread([this](const std::stop_token& stop) { close_idle(stop); });
}

Result<std::unique_ptr<PgPool>> PgPool::open(std::string url, const StoreOptions& options) {
    std::unique_ptr<PgPool> pool(new PgPool(std::move(url), options));
    for (int i = 0; i < pool->options_.min_connections; ++i) {
        auto connection = pool->connect();
        if (!connection) return std::unexpected(connection.error());
        std::lock_guard lock(pool->mutex_);
        ++pool->open_;
        pool->idle_.push_back({std::move(*connection), Clock::now()});
    }
    return pool;
}

Result<std::unique_ptr<PgConnection>> PgPool::connect() const {
    return PgConnection::connect(url_, connection_options_);
}

Result<PgPool::Handle> PgPool::acquire() {
    auto deadline = Clock::now() + options_.statement_timeout;
    std::unique_lock lock(mutex_);
    for (;;) {
        if (!idle_.empty()) {
            auto connection = std::move(idle_.back().connection);
            idle_.pop_back();
            lock.unlock();
            if (connection->healthy()) {
                connection->start_checkout();
                return Handle(*this, std::move(connection));
            }
            connection.reset();
            lock.lock();
            --open_;
            continue;
        }
        if (open_ < options_.max_connections) {
            ++open_;
            lock.unlock();
            auto connection = connect();
            if (connection) {
                (*connection)->start_checkout();
                return Handle(*this, std::move(*connection));
            }
            lock.lock();
            --open_;
            returned_.notify_one();
            return std::unexpected(connection.error());
        }
        if (returned_.wait_until(lock, deadline) == std::cv_status::timeout) {
            return fail(Code::io, fmt::format("no database connection came free within {} ms",
                                              options_.statement_timeout.count()));
        }
    }
}

PgPool::Handle::~Handle() {
    if (connection_) pool_->give_back(std::move(connection_));
}

void PgPool::give_back(std::unique_ptr<PgConnection> connection) {
    bool keep = connection->healthy();
    if (!keep) connection.reset();
    {
        std::lock_guard lock(mutex_);
        if (keep) {
            idle_.push_back({std::move(connection), Clock::now()});
        } else {
            --open_;
        }
    }
    returned_.notify_one();
}

void PgPool::close_idle(const std::stop_token& stop) {
    auto period =
        std::clamp(options_.idle_timeout / 2, std::chrono::milliseconds(10), std::chrono::milliseconds(1000));
    std::unique_lock lock(mutex_);
    while (!stop.stop_requested()) {
        stopping_.wait_for(lock, stop, period, [] { return false; });
        auto cutoff = Clock::now() - options_.idle_timeout;
        std::vector<std::unique_ptr<PgConnection>> closing;
        while (!idle_.empty() && open_ > options_.min_connections && idle_.front().since <= cutoff) {
            closing.push_back(std::move(idle_.front().connection));
            idle_.erase(idle_.begin());
            --open_;
        }
        lock.unlock();
        closing.clear();
        lock.lock();
    }
}

}  // namespace vidgen::store::detail
