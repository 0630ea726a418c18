#include "store/detail/pg_metrics.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace vidgen::store::detail {

namespace {

std::vector<std::string> lower_words(std::string_view sql) {
    std::vector<std::string> words;
    std::string word;
    for (char c : sql) {
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
            word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else if (!word.empty()) {
            words.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty()) words.push_back(std::move(word));
    return words;
}

// The word that names the table for each verb: the next one after it.
std::string_view table_marker(std::string_view verb) {
    if (verb == "select" || verb == "delete") return "from";
    if (verb == "insert") return "into";
    return verb;  // update jobs, copy jobs_in
}

}  // namespace

std::string statement_label(std::string_view sql) {
    constexpr std::array kVerbs = {"select", "insert", "update", "delete", "copy"};
    auto words = lower_words(sql);
    if (words.empty()) return "empty";
    auto is_verb = [&](const std::string& word) {
        return std::find(kVerbs.begin(), kVerbs.end(), word) != kVerbs.end();
    };
    auto verb = words.front() == "with" ? std::find_if(words.begin(), words.end(), is_verb) : words.begin();
    if (verb == words.end() || !is_verb(*verb)) return words.front();
    auto marker = std::find(verb, words.end(), table_marker(*verb));
    if (marker == words.end() || marker + 1 == words.end()) return *verb;
    return *verb + " " + *(marker + 1);
}

PgStatementMetrics::PgStatementMetrics(MetricsRegistry& registry)
    : durations_(registry.histogram("vidgen_db_statement_duration_seconds",
                                    "Time PostgreSQL statements took, by what they do to which table",
                                    {"statement"})),
      errors_(registry.counter("vidgen_db_statement_errors_total", "PostgreSQL statements that failed",
                               {"statement"})) {}

void PgStatementMetrics::record(std::string_view sql, double seconds, bool failed) {
    auto found = series_.find(std::string(sql));
    if (found == series_.end()) {
        auto label = statement_label(sql);
        found = series_.emplace(std::string(sql), Series{&durations_.with({label}), &errors_.with({label})})
                    .first;
    }
    found->second.duration->observe(seconds);
    if (failed) found->second.errors->add();
}

}  // namespace vidgen::store::detail
