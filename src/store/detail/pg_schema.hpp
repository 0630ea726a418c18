// The PostgreSQL schema as ordered migrations, and the row readers its queries share. The SELECT column
// lists and new_id() are the SQLite store's (sqlite_schema.hpp): both backends read the same columns in
// the same order and hand out ids of the same shape. Pure functions; thread-compatible.
#pragma once

#include "store/detail/pg_connection.hpp"
#include "store/detail/sqlite_schema.hpp"
#include "store/records.hpp"

namespace vidgen::store::detail {

// Applies every migration newer than the database's in one transaction under an advisory lock, so
// processes starting together apply each one once; returns the schema version.
Result<int> pg_migrate(PgConnection& connection);

Tenant read_tenant(const PgRow& row);
ApiKey read_api_key(const PgRow& row);
Template read_template(const PgRow& row);
Asset read_asset(const PgRow& row);
Job read_job(const PgRow& row);
Output read_output(const PgRow& row);
WebhookDelivery read_delivery(const PgRow& row);

// Runs `sql` with `args` and maps every row through `row`.
template <typename T, typename Row, typename... Args>
Result<std::vector<T>> query_all(PgConnection& connection, std::string_view sql, Row row,
                                 const Args&... args) {
    auto result = connection.query(sql, PgParams(args...));
    if (!result) return std::unexpected(result.error());
    std::vector<T> rows;
    rows.reserve(static_cast<std::size_t>(result->rows()));
    for (int i = 0; i < result->rows(); ++i) rows.push_back(row(PgRow{*result, i}));
    return rows;
}

// The first row of `sql`, or Code::not_found naming `what`.
template <typename T, typename Row, typename... Args>
Result<T> query_one(PgConnection& connection, std::string_view what, std::string_view sql, Row row,
                    const Args&... args) {
    auto result = connection.query(sql, PgParams(args...));
    if (!result) return std::unexpected(result.error());
    if (result->rows() == 0) return fail(Code::not_found, std::string(what) + " not found");
    return row(PgRow{*result, 0});
}

// Runs `sql` with `args`; the number of rows it changed.
template <typename... Args>
Result<std::int64_t> execute(PgConnection& connection, std::string_view sql, const Args&... args) {
    auto result = connection.query(sql, PgParams(args...));
    if (!result) return std::unexpected(result.error());
    return result->affected();
}

}  // namespace vidgen::store::detail
