#include <fmt/format.h>

#include <map>

#include "store/detail/recommended_indexes.hpp"
#include "store/detail/sqlite_store.hpp"

namespace vidgen::store::detail {

namespace {

std::string quoted(std::string_view name) {
    std::string out = "\"";
    for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

Result<std::int64_t> single_int(Connection& c, std::string_view sql) {
    return select_one<std::int64_t>(c, "value", sql, [](const Statement& row) { return row.int64(0); });
}

// Bytes per table or index from the dbstat virtual table; empty when SQLite was built without it.
std::map<std::string, std::int64_t> object_bytes(Connection& c) {
    using Entry = std::pair<std::string, std::int64_t>;
    auto rows =
        select_all<Entry>(c, "SELECT name, sum(pgsize) FROM dbstat GROUP BY name", [](const Statement& row) {
            return Entry{row.text(0), row.int64(1)};
        });
    if (!rows) return {};
    return {rows->begin(), rows->end()};
}

std::optional<std::int64_t> bytes_of(const std::map<std::string, std::int64_t>& sizes,
                                     const std::string& name) {
    auto found = sizes.find(name);
    if (found == sizes.end()) return std::nullopt;
    return found->second;
}

Result<std::vector<TableReport>> tables(Connection& c, const std::map<std::string, std::int64_t>& sizes) {
    auto names = select_all<std::string>(
        c, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        [](const Statement& row) { return row.text(0); });
    if (!names) return std::unexpected(names.error());
    std::vector<TableReport> reports;
    for (const auto& name : *names) {
        auto rows = single_int(c, "SELECT count(*) FROM " + quoted(name));
        if (!rows) return std::unexpected(rows.error());
        reports.push_back({.name = name, .rows = *rows, .bytes = bytes_of(sizes, name)});
    }
    return reports;
}

Result<std::vector<IndexReport>> indexes(Connection& c, const std::map<std::string, std::int64_t>& sizes) {
    return select_all<IndexReport>(
        c, "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' ORDER BY name",
        [&](const Statement& row) {
            return IndexReport{
                .name = row.text(0), .table = row.text(1), .bytes = bytes_of(sizes, row.text(0))};
        });
}

std::vector<std::string> suggestions(Connection& c, const std::vector<IndexReport>& present) {
    std::vector<std::string> out;
    for (const auto& index : missing_indexes(present)) {
        out.push_back(fmt::format("missing index for {}: CREATE INDEX IF NOT EXISTS {} {}", index.serves,
                                  index.name, index.definition));
    }
    if (!single_int(c, "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").value_or(0))
        out.push_back("no planner statistics yet: POST /admin/db/optimize runs ANALYZE");
    return out;
}

}  // namespace

Result<DbAnalysis> SqliteStore::analyze_db() {
    return read([&](Connection& c) -> Result<DbAnalysis> {
        DbAnalysis analysis{.engine = "sqlite",
                            .statements_source = "SQLite records no statement statistics"};
        auto pages = single_int(c, "PRAGMA page_count");
        auto page_size = single_int(c, "PRAGMA page_size");
        if (!pages || !page_size) return std::unexpected(pages ? page_size.error() : pages.error());
        analysis.database_bytes = *pages * *page_size;
        auto sizes = object_bytes(c);
        auto table_reports = tables(c, sizes);
        if (!table_reports) return std::unexpected(table_reports.error());
        analysis.tables = std::move(*table_reports);
        auto index_reports = indexes(c, sizes);
        if (!index_reports) return std::unexpected(index_reports.error());
        analysis.indexes = std::move(*index_reports);
        analysis.suggestions = suggestions(c, analysis.indexes);
        return analysis;
    });
}

Result<DbOptimization> SqliteStore::optimize_db() {
    auto present = analyze_db();
    if (!present) return std::unexpected(present.error());
    DbOptimization done;
    for (const auto& index : missing_indexes(present->indexes))
        done.actions.push_back(fmt::format("CREATE INDEX IF NOT EXISTS {} {}", index.name, index.definition));
    done.actions.push_back("PRAGMA optimize");
    done.actions.push_back("ANALYZE");
    auto ran = write([&](Connection& c) -> Result<void> {
        for (const auto& sql : done.actions) {
            if (auto ok = c.exec(sql.c_str()); !ok) return ok;
        }
        return {};
    });
    if (!ran) return std::unexpected(ran.error());
    return done;
}

}  // namespace vidgen::store::detail
