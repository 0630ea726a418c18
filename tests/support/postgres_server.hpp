// A throwaway PostgreSQL 15 server for tests, from Debian's binaries (/usr/lib/postgresql/15/bin): initdb
// in a private temp dir, started with pg_ctl on a free loopback port (its unix socket inside that dir),
// no fsync, trust authentication for the `postgres` user. PostgreSQL refuses to run as root, so under root
// the dir is given to the `postgres` system user and initdb/pg_ctl run through `runuser -u postgres --`.
// shared_postgres() is the one server of a test binary. Thread-safe after start.
#pragma once

#include <libpq-fe.h>

#include <atomic>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/scratch_dir.hpp"

namespace vidgen::testing {

class PostgresServer {
  public:
    // initdb, start and wait until it accepts connections (at most ~20 s); the error carries the log.
    static Result<std::unique_ptr<PostgresServer>> start();
    ~PostgresServer();  // stops the server (pg_ctl stop -m fast) and removes its dir
    PostgresServer(const PostgresServer&) = delete;
    PostgresServer& operator=(const PostgresServer&) = delete;

    int port() const { return port_; }
    // postgres://postgres@127.0.0.1:PORT/DATABASE
    std::string url(std::string_view database) const;
    // A new empty schema (t_1, t_2, ...) in database `vidgen`, and a URL whose connections use only it
    // (search_path): each test gets one of its own, far cheaper than a database.
    Result<std::string> create_schema();

  private:
    PostgresServer(ScratchDir dir, int port) : dir_(std::move(dir)), port_(port) {}
    ScratchDir dir_;
    int port_;
    std::atomic<int> schemas_ = 0;
};

// The server of this test binary, started on first use and stopped at exit. Every call after a failed
// start returns the same error, so each test that needs it fails with the reason.
Result<PostgresServer*> shared_postgres();

// One client connection for a test to inspect or disturb a server (terminate backends, hold locks).
class PostgresSession {
  public:
    static Result<PostgresSession> connect(const std::string& url);
    PostgresSession(PostgresSession&& other) noexcept : conn_(std::exchange(other.conn_, nullptr)) {}
    PostgresSession& operator=(PostgresSession&&) = delete;
    ~PostgresSession();

    // Runs `sql` (one or more statements); the first column of the first row of the last, or "".
    Result<std::string> run(const std::string& sql);

  private:
    explicit PostgresSession(PGconn* conn) : conn_(conn) {}
    PGconn* conn_;
};

}  // namespace vidgen::testing
