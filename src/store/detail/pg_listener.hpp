// LISTEN vidgen_jobs on a connection of its own: a background thread waits on the socket and counts the
// notifications, and wait() blocks a caller until the count moves or its time runs out. A lost connection
// is reopened every second; reopening also wakes every waiter, since notifications may have been missed.
// Started on the first wait(), so a store that never waits holds no extra connection or thread.
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

#include "store/detail/pg_connection.hpp"

namespace vidgen::store::detail {

class PgListener {
  public:
    explicit PgListener(std::string url) : url_(std::move(url)) {}
    PgListener(const PgListener&) = delete;
    PgListener& operator=(const PgListener&) = delete;

    // true when a notification came in during the wait, false after `max_wait`.
    bool wait(std::chrono::milliseconds max_wait);

  private:
    void listen(const std::stop_token& stop);
    // Waits for notifications on one connection until it breaks or `stop`.
    void drain(PGconn* conn, const std::stop_token& stop);
    void wake_all();

    std::string url_;
    std::mutex mutex_;
    std::condition_variable woken_;
    std::uint64_t generation_ = 0;  // notifications (and reconnections) so far
    std::once_flag started_;
    std::jthread thread_;  // declared last: stops and joins before the rest goes
};

}  // namespace vidgen::store::detail
