// The libpq wrapper under the PostgreSQL store: parameters round-trip exactly, a pipeline is one
// transaction, a failed statement leaves the connection usable, and statements are measured by label.
#include <fmt/format.h>

#include <limits>

#include "core/metrics.hpp"
#include "store/detail/pg_connection.hpp"
#include "store_fixture.hpp"

namespace vidgen::store::testing {
namespace {

using detail::PgConnection;
using detail::PgOrNull;
using detail::PgParams;
using detail::PgRow;
using detail::PgStatement;

class PgConnectionTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto server = vidgen::testing::shared_postgres();
        ASSERT_TRUE(server.has_value()) << server.error().to_string();
        connection_ = must(PgConnection::connect(must((*server)->create_schema()), {}));
        must(connection_->exec("CREATE TABLE things (name TEXT PRIMARY KEY)"));
    }

    std::string count_things() {
        auto result = must(connection_->query("SELECT count(*) FROM things", PgParams()));
        return result.text(0, 0);
    }

    std::unique_ptr<PgConnection> connection_;
};

TEST_F(PgConnectionTest, ParametersRoundTripExactly) {
    std::vector<std::string> array{"a\"b", "c\\d", "", "é,{}"};
    double third = 1.0 / 3;
    auto result = must(connection_->query(
        "SELECT $1::text, $2::text IS NULL, $3::bigint, $4::float8, $5::text[] = $6::text[], $7::boolean",
        PgParams(std::string_view("tab\t'quote' \\ é"), PgOrNull{""},
                 std::numeric_limits<std::int64_t>::min(), third, array, array, true)));
    PgRow row{result, 0};
    EXPECT_EQ(row.text(0), "tab\t'quote' \\ é");
    EXPECT_TRUE(row.boolean(1));
    EXPECT_EQ(row.int64(2), std::numeric_limits<std::int64_t>::min());
    EXPECT_EQ(row.real(3), third);
    EXPECT_TRUE(row.boolean(4));
    EXPECT_TRUE(row.boolean(5));
}

TEST_F(PgConnectionTest, APipelineIsOneTransaction) {
    const PgStatement failing[] = {{"INSERT INTO things (name) VALUES ($1)", PgParams("a")},
                                   {"INSERT INTO things (name) VALUES ($1)", PgParams("a")}};
    auto failed = connection_->pipeline(failing);
    ASSERT_FALSE(failed.has_value());
    EXPECT_EQ(failed.error().code, Code::invalid_argument);
    EXPECT_EQ(count_things(), "0");
    const PgStatement passing[] = {{"INSERT INTO things (name) VALUES ($1)", PgParams("a")},
                                   {"SELECT count(*) FROM things", PgParams()}};
    auto results = must(connection_->pipeline(passing));
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[1].text(0, 0), "1");
    EXPECT_TRUE(connection_->healthy());
}

TEST_F(PgConnectionTest, AFailedStatementLeavesTheConnectionUsable) {
    auto failed = connection_->query("SELECT 1 / $1::integer", PgParams(0));
    ASSERT_FALSE(failed.has_value());
    EXPECT_NE(failed.error().message.find("division by zero"), std::string::npos);
    EXPECT_TRUE(connection_->healthy());
    EXPECT_EQ(count_things(), "0");
}

TEST(PgStatementLabel, NamesTheVerbAndTheMainTable) {
    using detail::statement_label;
    EXPECT_EQ(statement_label("SELECT id, name FROM tenants WHERE id = $1"), "select tenants");
    EXPECT_EQ(statement_label("INSERT INTO jobs (id) VALUES ($1) ON CONFLICT DO NOTHING"), "insert jobs");
    EXPECT_EQ(statement_label("UPDATE jobs SET status = 'done' WHERE id IN (SELECT id FROM jobs)"),
              "update jobs");
    EXPECT_EQ(statement_label("DELETE FROM assets WHERE id = $1 RETURNING id"), "delete assets");
    EXPECT_EQ(statement_label("WITH done AS (UPDATE jobs SET x = 1 RETURNING id) SELECT count(*) FROM done"),
              "update jobs");
    EXPECT_EQ(statement_label("COPY jobs_in (n, id) FROM STDIN"), "copy jobs_in");
    EXPECT_EQ(statement_label("BEGIN"), "begin");
    EXPECT_EQ(statement_label("SELECT 1 / $1::integer"), "select");
    EXPECT_EQ(statement_label("  "), "empty");
}

TEST_F(PgConnectionTest, StatementsAreCountedTimedAndTheirErrorsCountedByLabel) {
    MetricsRegistry registry;
    auto server = must(vidgen::testing::shared_postgres());
    auto store = must(open_store(must(server->create_schema()), {.metrics = &registry}));
    must(store->create_tenant({.name = "alice", .created = 1}));
    EXPECT_FALSE(store->create_tenant({.name = "alice", .created = 2}).has_value());
    auto text = registry.render();
    EXPECT_NE(text.find("vidgen_db_statement_duration_seconds_count{statement=\"insert tenants\"} 2"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("vidgen_db_statement_errors_total{statement=\"insert tenants\"} 1"),
              std::string::npos)
        << text;
}

}  // namespace
}  // namespace vidgen::store::testing
