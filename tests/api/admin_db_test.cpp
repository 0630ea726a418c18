// GET /admin/db/analyze and POST /admin/db/optimize: admin keys only; the shapes of their answers.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>

#include "api_fixture.hpp"

namespace vidgen::api::testing {
namespace {

class AdminDbTest : public ApiTest {};

bool names(const boost::json::array& items, std::string_view name) {
    return std::any_of(items.begin(), items.end(),
                       [&](const boost::json::value& item) { return item.at("name").as_string() == name; });
}

TEST_F(AdminDbTest, AnalyzeReportsTablesIndexesAndSuggestions) {
    Reply reply = get("/admin/db/analyze", kAdminKey);
    ASSERT_EQ(reply.status, 200) << reply.body;
    boost::json::value body = reply.json();
    EXPECT_EQ(body.at("engine"), "sqlite");
    EXPECT_GT(body.at("database_bytes").to_number<std::int64_t>(), 0);
    const auto& tables = body.at("tables").as_array();
    EXPECT_TRUE(names(tables, "tenants"));
    EXPECT_TRUE(names(tables, "jobs"));
    for (const auto& table : tables) {
        EXPECT_TRUE(table.at("rows").is_int64());
        EXPECT_TRUE(table.at("seq_scans").is_null());
    }
    EXPECT_TRUE(names(body.at("indexes").as_array(), "jobs_tenant_ready"));
    EXPECT_TRUE(body.at("slow_statements").as_array().empty());
    EXPECT_TRUE(body.at("statements_source").is_string());
    EXPECT_TRUE(body.at("suggestions").is_array());
}

TEST_F(AdminDbTest, OptimizeReportsWhatItRan) {
    Reply reply = post("/admin/db/optimize", "", kAdminKey);
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(reply.json().at("actions"), boost::json::array({"PRAGMA optimize", "ANALYZE"}));
    Reply after = get("/admin/db/analyze", kAdminKey);
    ASSERT_EQ(after.status, 200) << after.body;
    EXPECT_TRUE(after.json().at("suggestions").as_array().empty()) << after.body;
}

TEST_F(AdminDbTest, TenantKeysAreRefused) {
    EXPECT_EQ(get("/admin/db/analyze", kKeyA).status, 403);
    EXPECT_EQ(post("/admin/db/optimize", "", kKeyB).status, 403);
    EXPECT_EQ(get("/admin/db/analyze", "").status, 401);
    EXPECT_EQ(post("/admin/db/optimize", "", "").status, 401);
}

}  // namespace
}  // namespace vidgen::api::testing
