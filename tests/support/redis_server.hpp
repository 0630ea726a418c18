// A throwaway Redis 7 server for tests, from Debian's /usr/bin/redis-server: run in the foreground on a
// free loopback port with a private temp dir, no persistence. Under ctest one server serves every test
// process (the `redis` fixture: vidgen_test_redis start and stop, with a state file); a test binary run by
// hand starts its own. A test that disturbs the server (stop, restart) starts one of its own instead.
// Thread-safe after start, except stop/start_again/restart, which one thread calls at a time.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "core/error.hpp"

namespace vidgen::testing {

class RedisServer {
  public:
    // Starts a server and waits until it answers PING (at most ~10 s); the error carries its log.
    static Result<std::unique_ptr<RedisServer>> start();
    // The server a state file written by save() describes, if it answers; left running at destruction.
    static Result<std::unique_ptr<RedisServer>> attach(const std::filesystem::path& state);
    // Stops the server of a state file and removes its dir and the file.
    static Result<void> stop_saved(const std::filesystem::path& state);
    ~RedisServer();  // a started server: SHUTDOWN NOSAVE, then its dir goes
    RedisServer(const RedisServer&) = delete;
    RedisServer& operator=(const RedisServer&) = delete;

    // Stops the server (its data goes with it) and, for start_again, starts it on the same port.
    Result<void> stop();
    Result<void> start_again();
    Result<void> restart();

    // Writes the port, pid and dir to `state` and leaves the server running past this object.
    Result<void> save(const std::filesystem::path& state);

    int port() const { return port_; }
    std::string url() const;  // redis://127.0.0.1:PORT
    // A key prefix no other test of any process uses ("t<pid>_<n>:").
    std::string unique_prefix();

  private:
    RedisServer(std::filesystem::path dir, int port, pid_t pid, bool owned)
        : dir_(std::move(dir)), port_(port), pid_(pid), owned_(owned) {}
    Result<void> launch();

    std::filesystem::path dir_;
    int port_;
    pid_t pid_;
    bool owned_;  // stop and remove at destruction
    std::atomic<int> prefixes_ = 0;
};

// The server of this test binary: the ctest fixture's when it runs, else one started on first use and
// stopped at exit. Every call after a failed start returns the same error.
Result<RedisServer*> shared_redis();

}  // namespace vidgen::testing
