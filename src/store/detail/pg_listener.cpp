#include "store/detail/pg_listener.hpp"

#include <poll.h>
#include <spdlog/spdlog.h>

#include <memory>

namespace vidgen::store::detail {

namespace {

constexpr auto kReconnectEvery = std::chrono::seconds(1);
constexpr int kPollMs = 100;  // how often the thread looks at its stop token

struct Finish {
    void operator()(PGconn* conn) const { PQfinish(conn); }
};

// A connection that LISTENs on vidgen_jobs, or null (the reason is logged once per failure).
std::unique_ptr<PGconn, Finish> open_listening(const std::string& url) {
    std::unique_ptr<PGconn, Finish> conn(pg_connect(url, "vidgen-listen"));
    if (conn && PQstatus(conn.get()) == CONNECTION_OK) {
        PGresult* result = PQexec(conn.get(), "LISTEN vidgen_jobs");
        bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
        PQclear(result);
        if (ok) return conn;
    }
    spdlog::warn("postgres: cannot LISTEN vidgen_jobs (workers poll instead): {}",
                 conn ? PQerrorMessage(conn.get()) : "out of memory");
    return nullptr;
}

}  // namespace

bool PgListener::wait(std::chrono::milliseconds max_wait) {
    std::call_once(started_,
                   [this] { thread_ = std::jthread([this](const std::stop_token& stop) { listen(stop); }); });
    std::unique_lock lock(mutex_);
    auto seen = generation_;
    return woken_.wait_for(lock, max_wait, [&] { return generation_ != seen; });
}

void PgListener::wake_all() {
    {
        std::lock_guard lock(mutex_);
        ++generation_;
    }
    woken_.notify_all();
}

void PgListener::listen(const std::stop_token& stop) {
    bool first = true;
    while (!stop.stop_requested()) {
        auto conn = open_listening(url_);
        if (!conn) {
            for (auto slept = std::chrono::milliseconds(0); slept < kReconnectEvery && !stop.stop_requested();
                 slept += std::chrono::milliseconds(kPollMs)) {
                std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
            }
            continue;
        }
        if (!first) wake_all();
        first = false;
        drain(conn.get(), stop);
    }
}

void PgListener::drain(PGconn* conn, const std::stop_token& stop) {
    pollfd fd{PQsocket(conn), POLLIN, 0};
    while (!stop.stop_requested()) {
        if (poll(&fd, 1, kPollMs) <= 0) continue;
        if (PQconsumeInput(conn) == 0) return;
        bool notified = false;
        while (PGnotify* notify = PQnotifies(conn)) {
            notified = true;
            PQfreemem(notify);
        }
        if (notified) wake_all();
    }
}

}  // namespace vidgen::store::detail
