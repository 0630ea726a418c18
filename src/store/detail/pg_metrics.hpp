// Per-statement metrics of the PostgreSQL store: vidgen_db_statement_duration_seconds (a histogram whose
// count is the number of runs) and vidgen_db_statement_errors_total, labelled by what a statement does
// to which table ("select jobs", "update jobs", "insert outputs", "copy jobs_in", "begin"), a label of
// bounded cardinality. Pure functions and a per-connection cache; thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "core/metrics.hpp"

namespace vidgen::store::detail {

// The verb and main table of a statement: "update jobs" for an UPDATE of jobs, even inside WITH.
std::string statement_label(std::string_view sql);

// The series of each SQL text a connection ran, looked up once per text.
class PgStatementMetrics {
  public:
    explicit PgStatementMetrics(MetricsRegistry& registry);
    void record(std::string_view sql, double seconds, bool failed);

  private:
    struct Series {
        Histogram* duration;
        Counter* errors;
    };
    Family<Histogram>& durations_;
    Family<Counter>& errors_;
    std::unordered_map<std::string, Series> series_;  // by SQL text
};

}  // namespace vidgen::store::detail
