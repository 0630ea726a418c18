#include <fmt/format.h>

#include "store/detail/pg_schema.hpp"
#include "store/detail/pg_store.hpp"
#include "store/detail/recommended_indexes.hpp"

namespace vidgen::store::detail {

namespace {

// A table this large read by sequential scans more often than through an index wants an index.
constexpr std::int64_t kLargeTableRows = 10'000;

Result<std::vector<TableReport>> tables(PgConnection& c) {
    return query_all<TableReport>(
        c,
        "SELECT relname, n_live_tup, pg_table_size(relid), seq_scan, coalesce(idx_scan, 0) "
        "FROM pg_stat_user_tables WHERE schemaname = current_schema() ORDER BY relname",
        [](const PgRow& row) {
            return TableReport{.name = row.text(0),
                               .rows = row.int64(1),
                               .bytes = row.int64(2),
                               .seq_scans = row.int64(3),
                               .index_scans = row.int64(4)};
        });
}

Result<std::vector<IndexReport>> indexes(PgConnection& c) {
    return query_all<IndexReport>(
        c,
        "SELECT indexrelname, relname, pg_relation_size(indexrelid), idx_scan FROM pg_stat_user_indexes "
        "WHERE schemaname = current_schema() ORDER BY indexrelname",
        [](const PgRow& row) {
            return IndexReport{
                .name = row.text(0), .table = row.text(1), .bytes = row.int64(2), .scans = row.int64(3)};
        });
}

// The ten slowest statements by mean time when pg_stat_statements is installed; says why not otherwise.
void read_statements(PgConnection& c, DbAnalysis& analysis) {
    auto installed = query_one<std::int64_t>(
        c, "extension", "SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'",
        [](const PgRow& row) { return row.int64(0); });
    if (!installed || *installed == 0) {
        analysis.statements_source =
            "pg_stat_statements is not installed; per-statement counts and durations are in /metrics "
            "(vidgen_db_statement_*)";
        return;
    }
    auto slow = query_all<StatementReport>(
        c,
        "SELECT query, calls, mean_exec_time, total_exec_time FROM pg_stat_statements "
        "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
        "ORDER BY mean_exec_time DESC LIMIT 10",
        [](const PgRow& row) {
            return StatementReport{
                .query = row.text(0), .calls = row.int64(1), .mean_ms = row.real(2), .total_ms = row.real(3)};
        });
    if (!slow) {
        analysis.statements_source =
            "pg_stat_statements is installed but unreadable: " + slow.error().message;
        return;
    }
    analysis.statements_source = "pg_stat_statements";
    analysis.slow_statements = std::move(*slow);
}

std::vector<std::string> suggestions(const DbAnalysis& analysis) {
    std::vector<std::string> out;
    for (const auto& index : missing_indexes(analysis.indexes)) {
        out.push_back(fmt::format("missing index for {}: CREATE INDEX CONCURRENTLY IF NOT EXISTS {} {}",
                                  index.serves, index.name, index.definition));
    }
    for (const auto& table : analysis.tables) {
        if (table.rows < kLargeTableRows || table.seq_scans <= table.index_scans) continue;
        out.push_back(fmt::format(
            "table {} ({} rows) was read by {} sequential scans against {} index scans: look for its "
            "slow statements above and index their WHERE columns",
            table.name, table.rows, table.seq_scans.value_or(0), table.index_scans.value_or(0)));
    }
    return out;
}

}  // namespace

Result<DbAnalysis> PgStore::analyze_db() {
    return run([&](PgConnection& c) -> Result<DbAnalysis> {
        DbAnalysis analysis{.engine = "postgresql"};
        auto bytes = query_one<std::int64_t>(c, "database", "SELECT pg_database_size(current_database())",
                                             [](const PgRow& row) { return row.int64(0); });
        if (!bytes) return std::unexpected(bytes.error());
        analysis.database_bytes = *bytes;
        auto table_reports = tables(c);
        if (!table_reports) return std::unexpected(table_reports.error());
        analysis.tables = std::move(*table_reports);
        auto index_reports = indexes(c);
        if (!index_reports) return std::unexpected(index_reports.error());
        analysis.indexes = std::move(*index_reports);
        read_statements(c, analysis);
        analysis.suggestions = suggestions(analysis);
        return analysis;
    });
}

// Each statement on its own: CREATE INDEX CONCURRENTLY cannot run inside a transaction block.
Result<DbOptimization> PgStore::optimize_db() {
    auto present = analyze_db();
    if (!present) return std::unexpected(present.error());
    DbOptimization done;
    for (const auto& index : missing_indexes(present->indexes)) {
        done.actions.push_back(
            fmt::format("CREATE INDEX CONCURRENTLY IF NOT EXISTS {} {}", index.name, index.definition));
    }
    done.actions.push_back("ANALYZE");
    for (const auto& sql : done.actions) {
        auto ran = run([&](PgConnection& c) { return c.exec(sql.c_str()); });
        if (!ran) return std::unexpected(ran.error());
    }
    return done;
}

}  // namespace vidgen::store::detail
