// The libpq wrapper under the PostgreSQL store: parameters round-trip exactly, a pipeline is one
// transaction, and a failed statement leaves the connection usable.
#include <fmt/format.h>

#include <limits>

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

}  // namespace
}  // namespace vidgen::store::testing
