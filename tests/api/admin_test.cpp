// GET /admin/cache/stats and POST /admin/cache/clear: admin keys only; clearing by glob or by tag.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api_fixture.hpp"

namespace vidgen::api::testing {
namespace {

class AdminTest : public ApiTest {
  protected:
    void fill() {
        must(cache_->set("temp:1", "a"));
        must(cache_->set("temp:2", "b", {.tags = {"video"}}));
        must(cache_->set("keep:1", "c", {.tags = {"video"}}));
        must(cache_->set("keep:2", "d"));
    }
    bool present(const std::string& key) { return cache_->get(key).value().has_value(); }
};

TEST_F(AdminTest, StatsShowEachLayer) {
    fill();
    must(cache_->get("keep:1"));
    must(cache_->get("nothing"));
    Reply reply = get("/admin/cache/stats", kAdminKey);
    ASSERT_EQ(reply.status, 200) << reply.body;
    boost::json::value layer = reply.json().at("layers").at(0);
    EXPECT_EQ(layer.at("layer"), "memory");
    EXPECT_EQ(layer.at("keys").to_number<int>(), 4);
    EXPECT_DOUBLE_EQ(layer.at("hit_ratio").to_number<double>(), 0.5);
    EXPECT_GT(layer.at("bytes").to_number<std::uint64_t>(), 0u);
    EXPECT_EQ(layer.at("evictions").to_number<int>(), 0);
    const auto& latency = layer.at("latency_us");
    EXPECT_GE(latency.at("p99").to_number<double>(), latency.at("p50").to_number<double>());
    EXPECT_GE(latency.at("samples").to_number<int>(), 0);
}

TEST_F(AdminTest, ClearByPattern) {
    fill();
    Reply reply = post("/admin/cache/clear", R"({"pattern":"temp:*"})", kAdminKey);
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(reply.json().at("cleared").to_number<int>(), 2);
    EXPECT_FALSE(present("temp:1"));
    EXPECT_FALSE(present("temp:2"));
    EXPECT_TRUE(present("keep:1"));
    EXPECT_TRUE(present("keep:2"));
}

TEST_F(AdminTest, ClearByTag) {
    fill();
    Reply reply = post("/admin/cache/clear", R"({"tag":"video"})", kAdminKey);
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(reply.json().at("cleared").to_number<int>(), 2);
    EXPECT_TRUE(present("temp:1"));
    EXPECT_FALSE(present("temp:2"));
    EXPECT_FALSE(present("keep:1"));
}

TEST_F(AdminTest, NeitherOrBothOrEmptyIs422) {
    fill();
    for (const char* body :
         {R"({})", R"({"pattern":"temp:*","tag":"video"})", R"({"pattern":""})", R"({"tag":7})"}) {
        Reply reply = post("/admin/cache/clear", body, kAdminKey);
        EXPECT_EQ(reply.status, 422) << body << " " << reply.body;
        EXPECT_EQ(reply.json().at("error").at("code"), "validation_failed");
    }
    EXPECT_EQ(post("/admin/cache/clear", "not json", kAdminKey).status, 400);
    EXPECT_TRUE(present("temp:1"));
}

TEST_F(AdminTest, TenantKeysAreRefused) {
    fill();
    EXPECT_EQ(get("/admin/cache/stats", kKeyA).status, 403);
    EXPECT_EQ(post("/admin/cache/clear", R"({"pattern":"*"})", kKeyB).status, 403);
    EXPECT_EQ(get("/admin/cache/stats", "").status, 401);
    EXPECT_TRUE(present("temp:1"));
}

}  // namespace
}  // namespace vidgen::api::testing
