// A pool of PostgreSQL connections: `min` opened at start and kept, up to `max` opened on demand, callers
// beyond that wait (at most the statement timeout) for one to come back. Every checkout is health-checked
// (a connection the server dropped is replaced); a background thread closes connections idle longer than
// the idle timeout down to `min`. Thread-safe; a Handle belongs to one thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "store/detail/pg_connection.hpp"
#include "store/store.hpp"

namespace vidgen::store::detail {

class PgPool {
  public:
    static Result<std::unique_ptr<PgPool>> open(std::string url, const StoreOptions& options);
    PgPool(const PgPool&) = delete;
    PgPool& operator=(const PgPool&) = delete;

    class Handle {  // gives the connection back when it goes, or drops it when it broke
      public:
        Handle(PgPool& pool, std::unique_ptr<PgConnection> connection)
            : pool_(&pool), connection_(std::move(connection)) {}
        Handle(Handle&&) noexcept = default;
        Handle& operator=(Handle&&) = delete;
        ~Handle();
        PgConnection& operator*() const { return *connection_; }
        PgConnection* operator->() const { return connection_.get(); }

      private:
        PgPool* pool_;
        std::unique_ptr<PgConnection> connection_;
    };

    // A healthy connection; Code::io when none could be opened or none came free in time.
    Result<Handle> acquire();
    int max_connections() const { return options_.max_connections; }

  private:
    struct Idle {
        std::unique_ptr<PgConnection> connection;
        std::chrono::steady_clock::time_point since;
    };

    PgPool(std::string url, const StoreOptions& options);
    Result<std::unique_ptr<PgConnection>> connect() const;
    void give_back(std::unique_ptr<PgConnection> connection);
    void close_idle(const std::stop_token& stop);

    std::string url_;
    StoreOptions options_;
    PgOptions connection_options_;
    std::mutex mutex_;
    std::condition_variable_any returned_;  // a connection came back or a slot freed
    std::condition_variable_any stopping_;  // only the closer waits here, so it never eats a wake-up
    std::vector<Idle> idle_;                // most recently used last
    int open_ = 0;                          // idle plus checked out, plus those being opened
    std::jthread closer_;                   // declared last: stops and joins before the rest goes
};

}  // namespace vidgen::store::detail
