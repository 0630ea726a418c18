#include "support/postgres_server.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include "support/local_server.hpp"

extern char** environ;

namespace vidgen::testing {

namespace {

namespace fs = std::filesystem;

const fs::path kBin = "/usr/lib/postgresql/15/bin";
constexpr int kStartAttempts = 3;  // a free port can be taken by someone else before the server binds it

// Runs `argv` (through runuser as the postgres user when we are root), its output appended to `log`.
Result<void> run(std::vector<std::string> argv, const fs::path& log) {
    if (geteuid() == 0) argv.insert(argv.begin(), {"/usr/sbin/runuser", "-u", "postgres", "--"});
    std::vector<char*> args;
    for (auto& arg : argv) args.push_back(arg.data());
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    pid_t pid = 0;
    int spawned = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0)
        return fail(Code::io, fmt::format("cannot run {}: {}", argv[0], std::strerror(spawned)));
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
    return fail(Code::io,
                fmt::format("{} failed (status {}):\n{}", fmt::join(argv, " "), status, tail_of(log)));
}

// Under root, hands the dir to the postgres system user, who must own its data directory.
Result<void> give_to_postgres(const fs::path& dir) {
    if (geteuid() != 0) return {};
    const passwd* user = getpwnam("postgres");
    if (user == nullptr) return fail(Code::not_found, "no `postgres` system user: install postgresql-15");
    if (chown(dir.c_str(), user->pw_uid, user->pw_gid) != 0) {
        return fail(Code::io, fmt::format("chown {}: {}", dir.string(), std::strerror(errno)));
    }
    return {};
}

Result<void> init_cluster(const fs::path& dir) {
    if (!fs::exists(kBin / "initdb")) {
        return fail(Code::not_found, "PostgreSQL 15 is not installed (no " + (kBin / "initdb").string() +
                                         "): run scripts/bootstrap");
    }
    if (auto ok = give_to_postgres(dir); !ok) return ok;
    return run({(kBin / "initdb").string(), "-D", (dir / "data").string(), "-A", "trust", "-U", "postgres",
                "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"},
               dir / "commands.log");
}

Result<void> start_cluster(const fs::path& dir, int port) {
    auto options = fmt::format(
        "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=100 -c shared_buffers=32MB",
        port, dir.string());
    auto started = run({(kBin / "pg_ctl").string(), "-D", (dir / "data").string(), "-l",
                        (dir / "server.log").string(), "-o", options, "-w", "-t", "20", "start"},
                       dir / "commands.log");
    if (!started) started.error().message += "\nserver log:\n" + tail_of(dir / "server.log");
    return started;
}

Result<fs::path> make_dir() {
    std::error_code ec;
    auto base = fs::temp_directory_path(ec);
    if (ec) return fail(Code::io, "no temporary folder: " + ec.message());
    std::string pattern = (base / "vidgen-pg-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
        return fail(Code::io, fmt::format("cannot create {}: {}", pattern, std::strerror(errno)));
    }
    return fs::path(pattern);
}

Result<void> stop_cluster(const fs::path& dir) {
    auto stopped =
        run({(kBin / "pg_ctl").string(), "-D", (dir / "data").string(), "-m", "fast", "-w", "stop"},
            dir / "commands.log");
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    return stopped;
}

// Stops the servers of test processes that died without stopping them (a crash, a killed run): each
// started server's dir names its owner's pid in `owner`.
void stop_orphans() {
    std::error_code ec;
    auto base = fs::temp_directory_path(ec);
    if (ec) return;
    for (const auto& entry : fs::directory_iterator(base, ec)) {
        if (!entry.path().filename().string().starts_with("vidgen-pg-")) continue;
        std::ifstream owner(entry.path() / "owner");
        pid_t pid = 0;
        if (owner >> pid && pid > 0 && kill(pid, 0) != 0 && errno == ESRCH) (void)stop_cluster(entry.path());
    }
}

Result<void> write_owner(const fs::path& dir) {
    std::ofstream out(dir / "owner");
    out << getpid() << '\n';
    if (!out.flush()) return fail(Code::io, "cannot write " + (dir / "owner").string());
    return {};
}

}  // namespace

Result<std::unique_ptr<PostgresServer>> PostgresServer::start() {
    stop_orphans();
    auto dir = make_dir();
    if (!dir) return std::unexpected(dir.error());
    if (auto ok = write_owner(*dir); !ok) return std::unexpected(ok.error());
    std::unique_ptr<PostgresServer> server(new PostgresServer(*dir, 0, true));
    if (auto ok = init_cluster(*dir); !ok) return std::unexpected(ok.error());
    Result<void> started = fail(Code::io, "not started");
    for (int attempt = 0; attempt < kStartAttempts && !started; ++attempt) {
        auto free = free_loopback_port();
        if (!free) return std::unexpected(free.error());
        server->port_ = *free;
        started = start_cluster(*dir, server->port_);
    }
    if (!started) return std::unexpected(started.error());
    auto session = PostgresSession::connect(server->url("postgres"));
    if (!session) return std::unexpected(session.error());
    if (auto ok = session->run("CREATE DATABASE vidgen"); !ok) return std::unexpected(ok.error());
    return server;
}

Result<std::unique_ptr<PostgresServer>> PostgresServer::attach(const fs::path& state) {
    std::ifstream in(state);
    int port = 0;
    std::string dir;
    if (!(in >> port >> dir)) return fail(Code::not_found, "no PostgreSQL state in " + state.string());
    std::unique_ptr<PostgresServer> server(new PostgresServer(dir, port, false));
    auto session = PostgresSession::connect(server->url("vidgen"));
    if (!session) return std::unexpected(session.error());
    return server;
}

Result<void> PostgresServer::stop_saved(const fs::path& state) {
    std::ifstream in(state);
    int port = 0;
    std::string dir;
    if (!(in >> port >> dir)) return fail(Code::not_found, "no PostgreSQL state in " + state.string());
    std::error_code ignored;
    fs::remove(state, ignored);
    return stop_cluster(dir);
}

Result<void> PostgresServer::save(const fs::path& state) {
    std::ofstream out(state);
    out << port_ << ' ' << dir_.string() << '\n';
    if (!out.flush()) return fail(Code::io, "cannot write " + state.string());
    std::error_code ignored;
    fs::remove(dir_ / "owner", ignored);  // the fixture's stop owns it now, not this process
    owned_ = false;
    return {};
}

Result<void> PostgresServer::stop() {
    if (!owned_) return fail(Code::unsupported, "a shared PostgreSQL server is not stopped by a test");
    return run({(kBin / "pg_ctl").string(), "-D", (dir_ / "data").string(), "-m", "fast", "-w", "stop"},
               dir_ / "commands.log");
}

Result<void> PostgresServer::start_again() {
    if (!owned_) return fail(Code::unsupported, "a shared PostgreSQL server is not started by a test");
    return start_cluster(dir_, port_);
}

Result<void> PostgresServer::restart() {
    if (auto stopped = stop(); !stopped) return stopped;
    return start_again();
}

PostgresServer::~PostgresServer() {
    if (owned_) (void)stop_cluster(dir_);
}

std::string PostgresServer::url(std::string_view database) const {
    return fmt::format("postgres://postgres@127.0.0.1:{}/{}", port_, database);
}

Result<std::string> PostgresServer::create_schema() {
    auto name = fmt::format("t_{}_{}", getpid(), ++schemas_);
    auto session = PostgresSession::connect(url("vidgen"));
    if (!session) return std::unexpected(session.error());
    if (auto ok = session->run("CREATE SCHEMA " + name); !ok) return std::unexpected(ok.error());
    return fmt::format("{}?options=-csearch_path%3D{}&application_name={}", url("vidgen"), name, name);
}

Result<PostgresServer*> shared_postgres() {
    static const Result<std::unique_ptr<PostgresServer>> server = [] {
        auto fixture = PostgresServer::attach(VIDGEN_TEST_POSTGRES_STATE);
        return fixture ? std::move(fixture) : PostgresServer::start();
    }();
    if (!server) return std::unexpected(server.error());
    return server->get();
}

Result<PostgresSession> PostgresSession::connect(const std::string& url) {
    PostgresSession session(PQconnectdb(url.c_str()));
    if (PQstatus(session.conn_) != CONNECTION_OK) {
        return fail(Code::io, fmt::format("connect {}: {}", url, PQerrorMessage(session.conn_)));
    }
    return session;
}

PostgresSession::~PostgresSession() {
    if (conn_ != nullptr) PQfinish(conn_);
}

Result<std::string> PostgresSession::run(const std::string& sql) {
    PGresult* result = PQexec(conn_, sql.c_str());
    auto status = PQresultStatus(result);
    std::string value;
    if (status == PGRES_TUPLES_OK && PQntuples(result) > 0) value = PQgetvalue(result, 0, 0);
    std::string error = PQresultErrorMessage(result);
    PQclear(result);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) return fail(Code::io, sql + ": " + error);
    return value;
}

}  // namespace vidgen::testing
