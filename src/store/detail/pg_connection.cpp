#include "store/detail/pg_connection.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <charconv>

namespace vidgen::store::detail {

namespace {

// SQLSTATE classes: 23503 foreign key → not_found (like SQLite), other 23 integrity → invalid_argument;
// connection (08), timeout or cancel (57), serialization or deadlock (40), resources (53) → io.
Code code_of(std::string_view state) {
    if (state == "23503") return Code::not_found;
    if (state.starts_with("23")) return Code::invalid_argument;
    if (state.starts_with("08") || state.starts_with("57") || state.starts_with("40") ||
        state.starts_with("53") || state.empty()) {
        return Code::io;
    }
    return Code::internal;
}

std::string trimmed(const char* message) {
    std::string text = message ? message : "";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

std::unexpected<Error> pg_error(PGconn* conn, const PGresult* result, std::string_view what) {
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    std::string message = trimmed(result ? PQresultErrorMessage(result) : PQerrorMessage(conn));
    if (message.empty()) message = trimmed(PQerrorMessage(conn));
    return fail(code_of(state ? state : ""), fmt::format("postgres: {}: {}", what, message));
}

void ignore_notice(void*, const char*) {}

std::string_view head(std::string_view sql) {
    return sql.substr(0, 120);
}

}  // namespace

void PgParams::add(double value) {
    values_.emplace_back(fmt::format("{}", value));
}

void PgParams::add(std::optional<std::int64_t> value) {
    if (value) {
        add(*value);
    } else {
        values_.emplace_back();
    }
}

void PgParams::add(const PgOrNull& value) {
    if (value.text.empty()) {
        values_.emplace_back();
    } else {
        add(value.text);
    }
}

void PgParams::add(const std::vector<std::string>& texts) {
    std::string literal = "{";
    for (const auto& text : texts) {
        if (literal.size() > 1) literal += ',';
        literal += '"';
        for (char c : text) {
            if (c == '"' || c == '\\') literal += '\\';
            literal += c;
        }
        literal += '"';
    }
    values_.emplace_back(literal + "}");
}

std::vector<const char*> PgParams::pointers() const {
    std::vector<const char*> out;
    out.reserve(values_.size());
    for (const auto& value : values_) out.push_back(value ? value->c_str() : nullptr);
    return out;
}

std::int64_t PgResult::affected() const {
    std::string_view count = PQcmdTuples(result_.get());
    std::int64_t value = 0;
    std::from_chars(count.data(), count.data() + count.size(), value);
    return value;
}

std::string PgResult::text(int row, int col) const {
    return std::string(PQgetvalue(result_.get(), row, col),
                       static_cast<std::size_t>(PQgetlength(result_.get(), row, col)));
}

std::int64_t PgResult::int64(int row, int col) const {
    const char* value = PQgetvalue(result_.get(), row, col);
    std::int64_t out = 0;
    std::from_chars(value, value + PQgetlength(result_.get(), row, col), out);
    return out;
}

double PgResult::real(int row, int col) const {
    const char* value = PQgetvalue(result_.get(), row, col);
    double out = 0;
    std::from_chars(value, value + PQgetlength(result_.get(), row, col), out);
    return out;
}

bool PgResult::boolean(int row, int col) const {
    return PQgetvalue(result_.get(), row, col)[0] == 't';
}

Result<std::unique_ptr<PgConnection>> PgConnection::connect(const std::string& url,
                                                            const PgOptions& options) {
    PGconn* raw = pg_connect(url, "vidgen");
    std::unique_ptr<PgConnection> connection(new PgConnection(raw, options));
    if (raw == nullptr) return fail(Code::io, "postgres: out of memory while connecting");
    if (PQstatus(raw) != CONNECTION_OK) return pg_error(raw, nullptr, "connect");
    PQsetNoticeProcessor(raw, ignore_notice, nullptr);
    auto set = fmt::format("SET statement_timeout = {}", options.statement_timeout.count());
    if (auto ok = connection->exec(set.c_str()); !ok) return std::unexpected(ok.error());
    return connection;
}

Result<std::string> PgConnection::prepared_name(std::string_view sql) {
    std::string text(sql);
    auto found = prepared_.find(text);
    if (found != prepared_.end()) return found->second;
    std::string name = fmt::format("s{}", prepared_.size());
    PGresult* raw = PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr);
    PgResult owned(raw);
    if (PQresultStatus(raw) != PGRES_COMMAND_OK) return pg_error(conn_, raw, head(sql));
    prepared_.emplace(std::move(text), name);
    return name;
}

Result<PgResult> PgConnection::checked(PGresult* raw, std::string_view sql,
                                       std::chrono::steady_clock::time_point start) {
    std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    if (elapsed >= options_.slow_query_threshold) {
        spdlog::warn("slow query ({:.0f} ms): {}", elapsed.count() * 1000, head(sql));
    }
    auto status = PQresultStatus(raw);
    bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_COPY_IN;
    if (metrics_ && status != PGRES_COPY_IN)
        metrics_->record(sql, elapsed.count(), !ok);  // a COPY once, at its end
    if (ok) {
        ++succeeded_;
        return PgResult(raw);
    }
    PgResult owned(raw);
    return pg_error(conn_, raw, head(sql));
}

Result<PgResult> PgConnection::query(std::string_view sql, const PgParams& params) {
    auto start = std::chrono::steady_clock::now();
    auto name = prepared_name(sql);
    if (!name) return std::unexpected(name.error());
    auto values = params.pointers();
    PGresult* raw = PQexecPrepared(conn_, name->c_str(), params.size(), values.data(), nullptr, nullptr, 0);
    return checked(raw, sql, start);
}

Result<std::vector<PgResult>> PgConnection::pipeline(std::span<const PgStatement> statements) {
    auto start = std::chrono::steady_clock::now();
    std::vector<std::string> names;
    for (const auto& statement : statements) {
        auto name = prepared_name(statement.sql);
        if (!name) return std::unexpected(name.error());
        names.push_back(std::move(*name));
    }
    if (PQenterPipelineMode(conn_) != 1) return pg_error(conn_, nullptr, "pipeline");
    bool sent = true;
    for (std::size_t i = 0; i < statements.size() && sent; ++i) {
        auto values = statements[i].params.pointers();
        sent = PQsendQueryPrepared(conn_, names[i].c_str(), statements[i].params.size(), values.data(),
                                   nullptr, nullptr, 0) == 1;
    }
    if (!sent || PQpipelineSync(conn_) != 1) return pg_error(conn_, nullptr, "pipeline");
    auto results = pipeline_results(statements, start);
    PQexitPipelineMode(conn_);
    return results;
}

// Each statement's result, then the NULL that ends it; then the sync. The first failure is returned,
// after every result is read so the connection is left idle.
Result<std::vector<PgResult>> PgConnection::pipeline_results(std::span<const PgStatement> statements,
                                                             std::chrono::steady_clock::time_point start) {
    std::vector<PgResult> results;
    std::optional<Error> failure;
    for (const auto& statement : statements) {
        PGresult* raw = PQgetResult(conn_);
        if (raw == nullptr) return pg_error(conn_, nullptr, "pipeline");
        auto result = checked(raw, statement.sql, start);
        PQclear(PQgetResult(conn_));
        if (result) {
            results.push_back(std::move(*result));
        } else if (!failure) {
            failure = result.error();
        }
    }
    PQclear(PQgetResult(conn_));  // PGRES_PIPELINE_SYNC
    if (failure) return std::unexpected(*failure);
    return results;
}

Result<void> PgConnection::exec(const char* sql) {
    auto start = std::chrono::steady_clock::now();
    auto result = checked(PQexec(conn_, sql), sql, start);
    if (!result) return std::unexpected(result.error());
    return {};
}

Result<void> PgConnection::copy_in(const char* copy_sql, std::string_view rows) {
    auto start = std::chrono::steady_clock::now();
    auto begun = checked(PQexec(conn_, copy_sql), copy_sql, start);
    if (!begun) return std::unexpected(begun.error());
    if (PQputCopyData(conn_, rows.data(), static_cast<int>(rows.size())) != 1 ||
        PQputCopyEnd(conn_, nullptr) != 1) {
        return pg_error(conn_, nullptr, "copy");
    }
    auto done = checked(PQgetResult(conn_), copy_sql, start);
    while (PGresult* rest = PQgetResult(conn_)) PQclear(rest);
    if (!done) return std::unexpected(done.error());
    return {};
}

bool PgConnection::healthy() {
    if (PQstatus(conn_) != CONNECTION_OK) return false;
    PQconsumeInput(conn_);
    while (PGnotify* notice = PQnotifies(conn_)) PQfreemem(notice);
    return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

PGconn* pg_connect(const std::string& url, const char* application) {
    // Keywords before dbname are overridden by the URL's; the fallback name yields to its application_name.
    const char* const keywords[] = {"connect_timeout", "dbname", "fallback_application_name", nullptr};
    const char* const values[] = {"10", url.c_str(), application, nullptr};
    return PQconnectdbParams(keywords, values, 1);
}

void append_copy_field(std::string& out, std::string_view text) {
    for (char c : text) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                out += c;
        }
    }
}

}  // namespace vidgen::store::detail
