// What GET /admin/db/analyze and POST /admin/db/optimize report about the database behind a Store: table
// and index sizes and use, slow statements where the engine records them, suggestions, and what an
// optimize run did. Plain values; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vidgen::store {

struct TableReport {
    std::string name;
    std::int64_t rows = 0;                  // exact on SQLite, the planner's live-row estimate on PostgreSQL
    std::optional<std::int64_t> bytes;      // with its indexes; none when the engine cannot tell
    std::optional<std::int64_t> seq_scans;  // sequential scans since statistics were reset (PostgreSQL)
    std::optional<std::int64_t> index_scans;  // index scans over the table (PostgreSQL)
};

struct IndexReport {
    std::string name;
    std::string table;
    std::optional<std::int64_t> bytes;
    std::optional<std::int64_t> scans;  // times the planner used it (PostgreSQL)
};

struct StatementReport {
    std::string query;
    std::int64_t calls = 0;
    double mean_ms = 0;
    double total_ms = 0;
};

struct DbAnalysis {
    std::string engine;  // "sqlite" or "postgresql"
    std::int64_t database_bytes = 0;
    std::vector<TableReport> tables;
    std::vector<IndexReport> indexes;
    std::vector<StatementReport> slow_statements;  // slowest mean first; empty when not recorded
    std::string statements_source;                 // where slow_statements come from, or why there are none
    std::vector<std::string> suggestions;          // what an operator (or optimize) should do
};

struct DbOptimization {
    std::vector<std::string> actions;  // the statements run, in order
};

}  // namespace vidgen::store
