// A throwaway PostgreSQL 15 server for tests, from Debian's binaries (/usr/lib/postgresql/15/bin): initdb
// in a private temp dir, started with pg_ctl on a free loopback port (its unix socket inside that dir),
// no fsync, trust authentication for the `postgres` user. PostgreSQL refuses to run as root, so under root
// the dir is given to the `postgres` system user and initdb/pg_ctl run through `runuser -u postgres --`.
// Under ctest one server serves every test process (the `postgres` fixture: vidgen_test_postgres start and
// stop, with a state file); a test binary run by hand starts its own. Thread-safe after start, except
// stop/start_again/restart, which one thread calls at a time (on a server of its own, never the fixture's).
#pragma once

#include <libpq-fe.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.hpp"

namespace vidgen::testing {

class PostgresServer {
  public:
    // initdb, start and wait until it accepts connections (at most ~20 s); the error carries the log.
    static Result<std::unique_ptr<PostgresServer>> start();
    // The server a state file written by save() describes, if it answers; left running at destruction.
    static Result<std::unique_ptr<PostgresServer>> attach(const std::filesystem::path& state);
    // Stops the server of a state file and removes its dir and the file.
    static Result<void> stop_saved(const std::filesystem::path& state);
    ~PostgresServer();  // a started server: pg_ctl stop -m fast, then its dir goes
    PostgresServer(const PostgresServer&) = delete;
    PostgresServer& operator=(const PostgresServer&) = delete;

    // stop: a fast shutdown (open connections are cut, committed data stays); start_again: the same data
    // dir on the same port, waiting until it accepts connections; restart: both.
    Result<void> stop();
    Result<void> start_again();
    Result<void> restart();

    // Writes the port and dir to `state` and leaves the server running past this object.
    Result<void> save(const std::filesystem::path& state);

    // postgres://postgres@127.0.0.1:PORT/DATABASE
    std::string url(std::string_view database) const;
    // A new empty schema in database `vidgen`, unique across processes, and a URL whose connections use
    // only it (search_path) and carry its name as application_name: each test gets one of its own.
    Result<std::string> create_schema();

  private:
    PostgresServer(std::filesystem::path dir, int port, bool owned)
        : dir_(std::move(dir)), port_(port), owned_(owned) {}
    std::filesystem::path dir_;
    int port_;
    bool owned_;  // stop and remove at destruction
    std::atomic<int> schemas_ = 0;
};

// The server of this test binary: the ctest fixture's when it runs, else one started on first use and
// stopped at exit. Every call after a failed start returns the same error, so each test that needs it
// fails with the reason.
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
