// RAII over libpq: a PgResult owns a PGresult; a PgConnection owns a PGconn, prepares each SQL text once
// on first use (a named statement cached per connection), runs it with text parameters, times it against
// the slow-query threshold, pipelines statements that go together, and bulk-loads rows with COPY. A
// PgConnection is used by one thread at a time.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"
#include "store/detail/pg_metrics.hpp"

namespace vidgen::store::detail {

// Sends NULL for an empty string: optional references (template, batch, idempotency key).
struct PgOrNull {
    std::string_view text;
};

// Query parameters as text ($1, $2, ...); std::nullopt is SQL NULL.
class PgParams {
  public:
    template <typename... Values>
    explicit PgParams(const Values&... values) {
        (add(values), ...);
    }
    void add(std::string_view text) { values_.emplace_back(std::string(text)); }
    void add(const std::string& text) { values_.emplace_back(text); }
    void add(const char* text) { values_.emplace_back(std::string(text)); }
    void add(std::int64_t value) { values_.emplace_back(std::to_string(value)); }
    void add(int value) { values_.emplace_back(std::to_string(value)); }
    void add(bool value) { values_.emplace_back(value ? "true" : "false"); }
    void add(double value);
    void add(std::optional<std::int64_t> value);
    void add(const PgOrNull& value);
    void add(const std::vector<std::string>& texts);  // a text[] literal

    int size() const { return static_cast<int>(values_.size()); }
    std::vector<const char*> pointers() const;

  private:
    std::vector<std::optional<std::string>> values_;
};

class PgResult {
  public:
    explicit PgResult(PGresult* result) : result_(result) {}
    int rows() const { return PQntuples(result_.get()); }
    std::int64_t affected() const;  // rows an INSERT, UPDATE or DELETE touched
    std::string text(int row, int col) const;
    std::int64_t int64(int row, int col) const;
    double real(int row, int col) const;
    bool boolean(int row, int col) const;

  private:
    struct Clear {
        void operator()(PGresult* result) const { PQclear(result); }
    };
    std::unique_ptr<PGresult, Clear> result_;
};

// One row of a PgResult, read by column: what the row readers of pg_schema.hpp take.
struct PgRow {
    const PgResult& result;
    int row;
    std::string text(int col) const { return result.text(row, col); }
    std::int64_t int64(int col) const { return result.int64(row, col); }
    double real(int col) const { return result.real(row, col); }
    bool boolean(int col) const { return result.boolean(row, col); }
};

// One statement of a pipeline: its SQL and parameters.
struct PgStatement {
    std::string_view sql;
    PgParams params;
};

struct PgOptions {
    std::chrono::milliseconds statement_timeout{30'000};
    std::chrono::milliseconds slow_query_threshold{200};
    MetricsRegistry* metrics = nullptr;  // per-statement metrics when set
};

class PgConnection {
  public:
    // Connects to a libpq URI and sets the session's statement_timeout; Code::io when unreachable.
    static Result<std::unique_ptr<PgConnection>> connect(const std::string& url, const PgOptions& options);
    ~PgConnection() { PQfinish(conn_); }
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    // Runs one statement, prepared on first use, with `params`.
    Result<PgResult> query(std::string_view sql, const PgParams& params);
    // Sends every statement at once and reads the results after (libpq's pipeline mode): one round trip.
    // Outside a transaction they run in one implicit transaction, so a failure undoes the earlier ones.
    Result<std::vector<PgResult>> pipeline(std::span<const PgStatement> statements);
    // One or more statements without parameters or rows (BEGIN, COMMIT, migrations).
    Result<void> exec(const char* sql);
    // `copy_sql` is a COPY ... FROM STDIN (text format); `rows` is its data, already escaped.
    Result<void> copy_in(const char* copy_sql, std::string_view rows);

    // Reads what the server sent while idle (a termination notice) and says whether the connection
    // is still usable and outside any transaction. Cheap: no round trip.
    bool healthy();
    // True when the connection broke before any statement succeeded since start_checkout(): nothing the
    // caller asked for can have happened, so it may safely run again on a fresh connection.
    bool lost_before_any_success() const { return succeeded_ == 0 && PQstatus(conn_) == CONNECTION_BAD; }
    void start_checkout() { succeeded_ = 0; }

  private:
    PgConnection(PGconn* conn, const PgOptions& options) : conn_(conn), options_(options) {
        if (options.metrics != nullptr) metrics_.emplace(*options.metrics);
    }
    Result<std::string> prepared_name(std::string_view sql);
    Result<std::vector<PgResult>> pipeline_results(std::span<const PgStatement> statements,
                                                   std::chrono::steady_clock::time_point start);
    Result<PgResult> checked(PGresult* raw, std::string_view sql,
                             std::chrono::steady_clock::time_point start);

    PGconn* conn_;
    PgOptions options_;
    std::optional<PgStatementMetrics> metrics_;
    std::unordered_map<std::string, std::string> prepared_;  // SQL text → statement name
    int succeeded_ = 0;
};

// Connects to a libpq URI. Its own connect_timeout and application_name win; without them a connection
// attempt gives up after 10 s and names itself `application`. Null only when out of memory; check PQstatus.
PGconn* pg_connect(const std::string& url, const char* application);

// Escapes one value for COPY's text format (backslash, tab, newline, carriage return).
void append_copy_field(std::string& out, std::string_view text);

}  // namespace vidgen::store::detail
