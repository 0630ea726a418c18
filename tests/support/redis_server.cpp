#include "support/redis_server.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <hiredis/hiredis.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <thread>
#include <vector>

#include "support/local_server.hpp"

extern char** environ;

namespace vidgen::testing {

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const fs::path kServer = "/usr/bin/redis-server";
constexpr int kStartAttempts = 3;  // a free port can be taken by someone else before the server binds it

// Sends `command` (no arguments with spaces) to the server on `port`; true when it replied without error.
bool ask(int port, const char* command) {
    redisContext* context = redisConnectWithTimeout("127.0.0.1", port, timeval{1, 0});
    bool ok = false;
    if (context != nullptr && context->err == 0) {
        auto* reply = static_cast<redisReply*>(redisCommand(context, command));
        ok = reply != nullptr && reply->type != REDIS_REPLY_ERROR;
        if (reply != nullptr) freeReplyObject(reply);
    }
    if (context != nullptr) redisFree(context);
    return ok;
}

bool gone(pid_t pid, bool child) {
    if (child) {
        const pid_t reaped = waitpid(pid, nullptr, WNOHANG);
        return reaped == pid || (reaped < 0 && errno == ECHILD);
    }
    return kill(pid, 0) != 0 && errno == ESRCH;
}

// SHUTDOWN NOSAVE, else SIGTERM, else after 5 s SIGKILL; waits until the process is gone.
void stop_process(pid_t pid, int port, bool child) {
    if (pid <= 0) return;
    if (!ask(port, "SHUTDOWN NOSAVE")) kill(pid, SIGTERM);
    for (int i = 0; i < 500; ++i) {
        if (gone(pid, child)) return;
        std::this_thread::sleep_for(10ms);
    }
    kill(pid, SIGKILL);
    if (child) waitpid(pid, nullptr, 0);
}

Result<pid_t> spawn_server(const fs::path& dir, int port) {
    std::vector<std::string> argv = {kServer.string(),
                                     "--port",
                                     std::to_string(port),
                                     "--bind",
                                     "127.0.0.1",
                                     "--save",
                                     "",
                                     "--appendonly",
                                     "no",
                                     "--dir",
                                     dir.string(),
                                     "--daemonize",
                                     "no"};
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (auto& arg : argv) args.push_back(arg.data());
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    const fs::path log = dir / "server.log";
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID);  // outlives a ctest fixture's process group
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, args[0], &actions, &attributes, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (spawned != 0)
        return fail(Code::io, fmt::format("cannot run {}: {}", argv[0], std::strerror(spawned)));
    return pid;
}

// Waits until the server answers PING; an error with its log when it exits or stays silent for 10 s.
Result<void> await_ping(const fs::path& dir, pid_t pid, int port) {
    for (int i = 0; i < 200; ++i) {
        if (ask(port, "PING")) return {};
        if (waitpid(pid, nullptr, WNOHANG) == pid) {
            return fail(Code::io, "redis-server exited at start:\n" + tail_of(dir / "server.log"));
        }
        std::this_thread::sleep_for(50ms);
    }
    stop_process(pid, port, true);
    return fail(Code::io, "redis-server did not answer PING within 10 s:\n" + tail_of(dir / "server.log"));
}

Result<fs::path> make_dir() {
    std::error_code ec;
    auto base = fs::temp_directory_path(ec);
    if (ec) return fail(Code::io, "no temporary folder: " + ec.message());
    std::string pattern = (base / "vidgen-redis-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
        return fail(Code::io, fmt::format("cannot create {}: {}", pattern, std::strerror(errno)));
    }
    return fs::path(pattern);
}

// Stops the servers of test processes that died without stopping them (a crash, a killed run): each dir
// names its owner's pid in `owner` and its server's pid and port in `server`.
void stop_orphans() {
    std::error_code ec;
    auto base = fs::temp_directory_path(ec);
    if (ec) return;
    for (const auto& entry : fs::directory_iterator(base, ec)) {
        if (!entry.path().filename().string().starts_with("vidgen-redis-")) continue;
        std::ifstream owner(entry.path() / "owner");
        std::ifstream server(entry.path() / "server");
        pid_t owner_pid = 0;
        pid_t server_pid = 0;
        int port = 0;
        if (!(owner >> owner_pid) || owner_pid <= 0 || kill(owner_pid, 0) == 0 || errno != ESRCH) continue;
        if (server >> server_pid >> port) stop_process(server_pid, port, false);
        fs::remove_all(entry.path(), ec);
    }
}

Result<void> write_file(const fs::path& file, const std::string& text) {
    std::ofstream out(file);
    out << text << '\n';
    if (!out.flush()) return fail(Code::io, "cannot write " + file.string());
    return {};
}

struct SavedState {
    int port = 0;
    pid_t pid = 0;
    std::string dir;
};

Result<SavedState> read_state(const fs::path& state) {
    std::ifstream in(state);
    SavedState saved;
    if (!(in >> saved.port >> saved.pid >> saved.dir)) {
        return fail(Code::not_found, "no Redis state in " + state.string());
    }
    return saved;
}

}  // namespace

Result<std::unique_ptr<RedisServer>> RedisServer::start() {
    if (!fs::exists(kServer))
        return fail(Code::not_found, "Redis is not installed (no /usr/bin/redis-server)");
    stop_orphans();
    auto dir = make_dir();
    if (!dir) return std::unexpected(dir.error());
    std::unique_ptr<RedisServer> server(new RedisServer(*dir, 0, 0, true));
    if (auto ok = write_file(*dir / "owner", std::to_string(getpid())); !ok)
        return std::unexpected(ok.error());
    Result<void> started = fail(Code::io, "not started");
    for (int attempt = 0; attempt < kStartAttempts && !started; ++attempt) {
        auto free = free_loopback_port();
        if (!free) return std::unexpected(free.error());
        server->port_ = *free;
        started = server->launch();
    }
    if (!started) return std::unexpected(started.error());
    return server;
}

Result<void> RedisServer::launch() {
    auto pid = spawn_server(dir_, port_);
    if (!pid) return std::unexpected(pid.error());
    pid_ = *pid;
    if (auto ok = write_file(dir_ / "server", fmt::format("{} {}", pid_, port_)); !ok) {
        stop_process(pid_, port_, true);
        return ok;
    }
    auto answered = await_ping(dir_, pid_, port_);
    if (!answered) pid_ = 0;
    return answered;
}

Result<std::unique_ptr<RedisServer>> RedisServer::attach(const fs::path& state) {
    auto saved = read_state(state);
    if (!saved) return std::unexpected(saved.error());
    if (!ask(saved->port, "PING")) {
        return fail(Code::io, fmt::format("the fixture's Redis on port {} does not answer", saved->port));
    }
    return std::unique_ptr<RedisServer>(new RedisServer(saved->dir, saved->port, saved->pid, false));
}

Result<void> RedisServer::stop_saved(const fs::path& state) {
    auto saved = read_state(state);
    if (!saved) return std::unexpected(saved.error());
    std::error_code ignored;
    fs::remove(state, ignored);
    stop_process(saved->pid, saved->port, false);
    fs::remove_all(saved->dir, ignored);
    return {};
}

Result<void> RedisServer::save(const fs::path& state) {
    std::ofstream out(state);
    out << port_ << ' ' << pid_ << ' ' << dir_.string() << '\n';
    if (!out.flush()) return fail(Code::io, "cannot write " + state.string());
    std::error_code ignored;
    fs::remove(dir_ / "owner", ignored);  // the fixture's stop owns it now, not this process
    owned_ = false;
    return {};
}

Result<void> RedisServer::stop() {
    if (!owned_) return fail(Code::unsupported, "a shared Redis server is not stopped by a test");
    stop_process(pid_, port_, true);
    pid_ = 0;
    return {};
}

Result<void> RedisServer::start_again() {
    if (!owned_) return fail(Code::unsupported, "a shared Redis server is not started by a test");
    return launch();
}

Result<void> RedisServer::restart() {
    if (auto stopped = stop(); !stopped) return stopped;
    return start_again();
}

RedisServer::~RedisServer() {
    if (!owned_) return;
    stop_process(pid_, port_, true);
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
}

std::string RedisServer::url() const {
    return fmt::format("redis://127.0.0.1:{}", port_);
}

std::string RedisServer::unique_prefix() {
    return fmt::format("t{}_{}:", getpid(), ++prefixes_);
}

Result<RedisServer*> shared_redis() {
    static const Result<std::unique_ptr<RedisServer>> server = [] {
        auto fixture = RedisServer::attach(VIDGEN_TEST_REDIS_STATE);
        return fixture ? std::move(fixture) : RedisServer::start();
    }();
    if (!server) return std::unexpected(server.error());
    return server->get();
}

}  // namespace vidgen::testing
