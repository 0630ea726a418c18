// analyze_db and optimize_db on every backend: tables and indexes reported, a missing recommended index
// suggested and then created by optimize.
#include <sqlite3.h>

#include <algorithm>

#include "store_fixture.hpp"

namespace vidgen::store::testing {
namespace {

class DbReportTest : public StoreTest {
  protected:
    bool sqlite() const { return GetParam().name == "sqlite"; }

    // Drops an index behind the store's back, as an operator or a half-applied restore might.
    void drop_index(const std::string& name) {
        std::string sql = "DROP INDEX " + name;
        if (sqlite()) {
            sqlite3* db = nullptr;
            ASSERT_EQ(sqlite3_open((scratch_->path() / "store.db").c_str(), &db), SQLITE_OK);
            EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
            sqlite3_close(db);
        } else {
            auto session = must(vidgen::testing::PostgresSession::connect(url_));
            must(session.run(sql));
        }
    }

    static bool has_index(const DbAnalysis& analysis, std::string_view name, std::string_view table) {
        return std::any_of(analysis.indexes.begin(), analysis.indexes.end(), [&](const IndexReport& index) {
            return index.name == name && index.table == table;
        });
    }
    static bool mentions(const std::vector<std::string>& lines, std::string_view text) {
        return std::any_of(lines.begin(), lines.end(),
                           [&](const std::string& line) { return line.find(text) != std::string::npos; });
    }
};

TEST_P(DbReportTest, AnalyzeListsTablesAndIndexes) {
    insert(alice_, 10);
    insert(bob_, 20);
    auto analysis = must(store_->analyze_db());
    EXPECT_EQ(analysis.engine, sqlite() ? "sqlite" : "postgresql");
    EXPECT_GT(analysis.database_bytes, 0);
    auto jobs = std::find_if(analysis.tables.begin(), analysis.tables.end(),
                             [](const TableReport& table) { return table.name == "jobs"; });
    ASSERT_NE(jobs, analysis.tables.end());
    if (sqlite()) {
        EXPECT_EQ(jobs->rows, 2);
    }
    EXPECT_EQ(jobs->seq_scans.has_value(), !sqlite());
    EXPECT_TRUE(has_index(analysis, "jobs_tenant_ready", "jobs"));
    EXPECT_TRUE(has_index(analysis, "jobs_ready", "jobs"));
    EXPECT_FALSE(mentions(analysis.suggestions, "missing index"));
    EXPECT_FALSE(analysis.statements_source.empty());
}

TEST_P(DbReportTest, OptimizeCreatesAMissingRecommendedIndex) {
    drop_index("jobs_tenant_ready");
    auto before = must(store_->analyze_db());
    EXPECT_FALSE(has_index(before, "jobs_tenant_ready", "jobs"));
    EXPECT_TRUE(mentions(before.suggestions, "jobs_tenant_ready"));

    auto done = must(store_->optimize_db());
    ASSERT_FALSE(done.actions.empty());
    EXPECT_NE(done.actions.front().find("CREATE INDEX"), std::string::npos);
    EXPECT_NE(done.actions.front().find("jobs_tenant_ready"), std::string::npos);
    EXPECT_EQ(done.actions.back(), "ANALYZE");

    auto after = must(store_->analyze_db());
    EXPECT_TRUE(has_index(after, "jobs_tenant_ready", "jobs"));
    EXPECT_TRUE(after.suggestions.empty()) << after.suggestions.front();
}

TEST_P(DbReportTest, OptimizeWithNothingMissingOnlyRefreshesStatistics) {
    auto done = must(store_->optimize_db());
    std::vector<std::string> expected = sqlite() ? std::vector<std::string>{"PRAGMA optimize", "ANALYZE"}
                                                 : std::vector<std::string>{"ANALYZE"};
    EXPECT_EQ(done.actions, expected);
}

INSTANTIATE_TEST_SUITE_P(Backends, DbReportTest, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace vidgen::store::testing
