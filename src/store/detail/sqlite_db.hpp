// RAII over SQLite: a Connection owns a sqlite3* and caches its prepared statements; a Statement borrows
// one cached sqlite3_stmt and resets it when it goes; a Transaction rolls back unless committed; a
// ConnectionPool hands each calling thread a connection of its own. A Connection is used by one thread at
// a time; the pool is thread-safe.
#pragma once

#include <sqlite3.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace vidgen::store::detail {

// The error of the last failed call on `db`, mapped to a Code (foreign key → not_found, busy/io → io).
std::unexpected<Error> sqlite_error(sqlite3* db, int rc, std::string_view what);

// Binds NULL for an empty string: optional references (template, batch, idempotency key).
struct OrNull {
    std::string_view text;
};

class Statement {
  public:
    Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
    Statement(Statement&& other) noexcept : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}
    Statement& operator=(Statement&&) = delete;
    ~Statement();

    // Binds `values` to ?1, ?2, ... An empty string_view binds NULL only through bind_null().
    template <typename... Values>
    Statement& bind(const Values&... values) {
        int index = 1;
        (bind_one(index++, values), ...);
        return *this;
    }
    void bind_null(int index) { sqlite3_bind_null(stmt_, index); }
    void bind_one(int index, std::string_view text);
    void bind_one(int index, const std::string& text) { bind_one(index, std::string_view(text)); }
    void bind_one(int index, const char* text) { bind_one(index, std::string_view(text)); }
    void bind_one(int index, std::int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
    void bind_one(int index, int value) { sqlite3_bind_int64(stmt_, index, value); }
    void bind_one(int index, double value) { sqlite3_bind_double(stmt_, index, value); }
    void bind_one(int index, std::nullptr_t) { bind_null(index); }
    void bind_one(int index, std::optional<std::int64_t> value) {
        if (value) {
            bind_one(index, *value);
        } else {
            bind_null(index);
        }
    }
    void bind_one(int index, const OrNull& value);

    Result<bool> step();  // true while there is a row
    Result<void> run();   // steps to the end, for statements without rows
    int changes() const { return sqlite3_changes(db_); }

    std::int64_t int64(int col) const { return sqlite3_column_int64(stmt_, col); }
    double real(int col) const { return sqlite3_column_double(stmt_, col); }
    std::string text(int col) const;

  private:
    sqlite3* db_;
    sqlite3_stmt* stmt_;
};

class Connection {
  public:
    static Result<std::unique_ptr<Connection>> open(const std::string& path);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // A cached prepared statement for this exact SQL text.
    Result<Statement> prepare(std::string_view sql);
    Result<void> exec(const char* sql);  // one or more statements, no parameters, no rows
    sqlite3* handle() const { return db_; }

  private:
    explicit Connection(sqlite3* db) : db_(db) {}
    struct Finalize {
        void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
    };
    sqlite3* db_;
    std::unordered_map<std::string, std::unique_ptr<sqlite3_stmt, Finalize>> statements_;
};

// BEGIN IMMEDIATE (takes the write lock at once, so no upgrade deadlock); rolls back unless committed.
class Transaction {
  public:
    static Result<Transaction> begin(Connection& connection);
    Transaction(Transaction&& other) noexcept : connection_(std::exchange(other.connection_, nullptr)) {}
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction();
    Result<void> commit();

  private:
    explicit Transaction(Connection& connection) : connection_(&connection) {}
    Connection* connection_;
};

class ConnectionPool {
  public:
    static Result<std::unique_ptr<ConnectionPool>> open(const std::string& path, int size);

    class Handle {  // gives the connection back to the pool when it goes
      public:
        Handle(ConnectionPool& pool, std::unique_ptr<Connection> connection)
            : pool_(&pool), connection_(std::move(connection)) {}
        Handle(Handle&&) noexcept = default;
        ~Handle();
        Connection& operator*() const { return *connection_; }
        Connection* operator->() const { return connection_.get(); }

      private:
        ConnectionPool* pool_;
        std::unique_ptr<Connection> connection_;
    };
    Handle acquire();  // waits while every connection is in use

  private:
    void give_back(std::unique_ptr<Connection> connection);
    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<Connection>> idle_;
};

// Runs `sql` with `args` and maps every row through `row`.
template <typename T, typename Row, typename... Args>
Result<std::vector<T>> select_all(Connection& connection, std::string_view sql, Row row,
                                  const Args&... args) {
    auto stmt = connection.prepare(sql);
    if (!stmt) return std::unexpected(stmt.error());
    stmt->bind(args...);
    std::vector<T> rows;
    for (;;) {
        auto more = stmt->step();
        if (!more) return std::unexpected(more.error());
        if (!*more) return rows;
        rows.push_back(row(*stmt));
    }
}

// The first row of `sql`, or Code::not_found naming `what`.
template <typename T, typename Row, typename... Args>
Result<T> select_one(Connection& connection, std::string_view what, std::string_view sql, Row row,
                     const Args&... args) {
    auto stmt = connection.prepare(sql);
    if (!stmt) return std::unexpected(stmt.error());
    stmt->bind(args...);
    auto found = stmt->step();
    if (!found) return std::unexpected(found.error());
    if (!*found) return fail(Code::not_found, std::string(what) + " not found");
    return row(*stmt);
}

}  // namespace vidgen::store::detail
