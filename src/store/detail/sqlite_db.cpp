#include "store/detail/sqlite_db.hpp"

#include <fmt/format.h>

namespace vidgen::store::detail {

namespace {

Code code_of(int rc) {
    switch (rc) {
        case SQLITE_CONSTRAINT_FOREIGNKEY:
            return Code::not_found;
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
        case SQLITE_FULL:
        case SQLITE_CANTOPEN:
            return Code::io;
        default:
            break;
    }
    switch (rc & 0xff) {
        case SQLITE_CONSTRAINT:
            return Code::invalid_argument;
        case SQLITE_IOERR:
            return Code::io;
        default:
            return Code::internal;
    }
}

// WAL lets readers run beside the one writer. synchronous=FULL syncs the WAL at every commit, so a
// committed row survives power loss too, not only a killed process; callers batch inserts into one
// commit to pay that sync once per batch.
constexpr const char* kPragmas =
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;";

}  // namespace

std::unexpected<Error> sqlite_error(sqlite3* db, int rc, std::string_view what) {
    std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    return fail(code_of(rc), fmt::format("sqlite: {}: {}", what, detail));
}

Statement::~Statement() {
    if (stmt_ == nullptr) return;
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

void Statement::bind_one(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

void Statement::bind_one(int index, const OrNull& value) {
    if (value.text.empty()) {
        bind_null(index);
    } else {
        bind_one(index, value.text);
    }
}

Result<bool> Statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return sqlite_error(db_, rc, "step");
}

Result<void> Statement::run() {
    for (;;) {
        auto row = step();
        if (!row) return std::unexpected(row.error());
        if (!*row) return {};
    }
}

std::string Statement::text(int col) const {
    const auto* bytes = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    if (bytes == nullptr) return {};
    return std::string(bytes, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
}

Result<std::unique_ptr<Connection>> Connection::open(const std::string& path) {
    sqlite3* db = nullptr;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    std::unique_ptr<Connection> connection(new Connection(db));
    if (rc != SQLITE_OK) return sqlite_error(db, rc, "open " + path);
    sqlite3_extended_result_codes(db, 1);
    if (auto ok = connection->exec(kPragmas); !ok) return std::unexpected(ok.error());
    return connection;
}

Connection::~Connection() {
    statements_.clear();
    sqlite3_close(db_);
}

Result<Statement> Connection::prepare(std::string_view sql) {
    auto found = statements_.find(std::string(sql));
    if (found == statements_.end()) {
        sqlite3_stmt* stmt = nullptr;
        int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                    &stmt, nullptr);
        if (rc != SQLITE_OK) return sqlite_error(db_, rc, "prepare");
        found = statements_.emplace(std::string(sql), stmt).first;
    }
    return Statement(db_, found->second.get());
}

Result<void> Connection::exec(const char* sql) {
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return sqlite_error(db_, rc, "exec");
    return {};
}

Result<Transaction> Transaction::begin(Connection& connection) {
    if (auto ok = connection.exec("BEGIN IMMEDIATE"); !ok) return std::unexpected(ok.error());
    return Transaction(connection);
}

Transaction::~Transaction() {
    if (connection_ != nullptr) sqlite3_exec(connection_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

Result<void> Transaction::commit() {
    auto ok = connection_->exec("COMMIT");
    if (ok) connection_ = nullptr;
    return ok;
}

Result<std::unique_ptr<ConnectionPool>> ConnectionPool::open(const std::string& path, int size) {
    auto pool = std::make_unique<ConnectionPool>();
    for (int i = 0; i < size; ++i) {
        auto connection = Connection::open(path);
        if (!connection) return std::unexpected(connection.error());
        pool->idle_.push_back(std::move(*connection));
    }
    return pool;
}

ConnectionPool::Handle::~Handle() {
    if (connection_) pool_->give_back(std::move(connection_));
}

ConnectionPool::Handle ConnectionPool::acquire() {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [this] { return !idle_.empty(); });
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    return Handle(*this, std::move(connection));
}

void ConnectionPool::give_back(std::unique_ptr<Connection> connection) {
    {
        std::lock_guard lock(mutex_);
        idle_.push_back(std::move(connection));
    }
    available_.notify_one();
}

}  // namespace vidgen::store::detail
