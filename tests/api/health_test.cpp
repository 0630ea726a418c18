// GET /health, /api/v1/health (liveness), /health/ready (database, disk, workers) and /health/performance.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api_fixture.hpp"

namespace vidgen::api::testing {
namespace {

class HealthTest : public ApiTest {};

TEST_F(HealthTest, LivenessNeedsNoKey) {
    for (const char* target : {"/health", "/api/v1/health"}) {
        Reply reply = get(target, "");
        ASSERT_EQ(reply.status, 200) << target;
        EXPECT_EQ(reply.json().at("status"), "ok");
    }
}

TEST_F(HealthTest, ReadyWhenTheDatabaseDiskAndWorkersAre) {
    context_.workers = [] { return WorkerFigures{.total = 2, .busy = 1}; };
    Reply reply = get("/health/ready", "");
    ASSERT_EQ(reply.status, 200) << reply.body;
    boost::json::value checks = reply.json().at("checks");
    EXPECT_EQ(reply.json().at("status"), "ready");
    EXPECT_EQ(checks.at("database").at("status"), "ok");
    EXPECT_EQ(checks.at("disk").at("status"), "ok");
    EXPECT_GT(checks.at("disk").at("freeBytes").to_number<std::uint64_t>(), 0u);
    EXPECT_EQ(checks.at("workers").at("status"), "ok");
    EXPECT_EQ(checks.at("workers").at("total").to_number<int>(), 2);
}

TEST_F(HealthTest, NotReadyWithoutWorkers) {
    Reply none = get("/health/ready", "");
    EXPECT_EQ(none.status, 503) << none.body;
    EXPECT_EQ(none.json().at("status"), "not_ready");
    EXPECT_EQ(none.json().at("checks").at("workers").at("status"), "fail");
    context_.workers = [] { return WorkerFigures{}; };
    EXPECT_EQ(get("/health/ready", "").status, 503);
}

TEST_F(HealthTest, AnApiOnlyNodeIsReadyWithoutWorkers) {
    context_.renders = false;
    Reply reply = get("/health/ready", "");
    EXPECT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(reply.json().at("checks").at("workers").at("renders"), false);
}

TEST_F(HealthTest, NotReadyWhenTheDataDirIsGone) {
    context_.workers = [] { return WorkerFigures{.total = 1}; };
    context_.data_dir = scratch_->path() / "missing";
    Reply reply = get("/health/ready", "");
    EXPECT_EQ(reply.status, 503) << reply.body;
    EXPECT_EQ(reply.json().at("checks").at("disk").at("status"), "fail");
    EXPECT_EQ(reply.json().at("checks").at("database").at("status"), "ok");
}

TEST_F(HealthTest, PerformanceNamesEveryServiceAndFigure) {
    must(cache_->set("k", "v"));
    must(cache_->get("k"));
    must(cache_->get("absent"));
    ASSERT_EQ(get("/health", "").status, 200);
    Reply reply = get("/health/performance", "");
    ASSERT_EQ(reply.status, 200) << reply.body;
    boost::json::value body = reply.json();
    EXPECT_EQ(body.at("status"), "ok");
    const auto& services = body.at("services");
    EXPECT_EQ(services.at("cache").at("status"), "ok");
    EXPECT_GT(services.at("cache").at("hitRate").to_number<double>(), 0.0);
    EXPECT_LT(services.at("cache").at("hitRate").to_number<double>(), 1.0);
    EXPECT_EQ(services.at("database").at("status"), "ok");
    EXPECT_GE(services.at("database").at("avgQueryTime").to_number<double>(), 0.0);
    EXPECT_EQ(services.at("storage").at("status"), "ok");
    EXPECT_GT(services.at("storage").at("freeBytes").to_number<std::uint64_t>(), 0u);
    const auto& performance = body.at("performance");
    for (const char* name : {"uptime", "totalRequests", "averageResponseTime", "p50", "p95", "p99"}) {
        EXPECT_TRUE(performance.as_object().contains(name)) << name;
    }
    EXPECT_GE(performance.at("totalRequests").to_number<std::uint64_t>(), 1u) << "the /health before";
    EXPECT_GT(performance.at("uptime").to_number<double>(), 0.0);
}

TEST_F(HealthTest, PerformanceIsNullWhenMonitoringIsOff) {
    context_.server = nullptr;  // what vidgen serve does with PERFORMANCE_MONITORING=false
    Reply reply = get("/health/performance", "");
    ASSERT_EQ(reply.status, 200) << reply.body;
    boost::json::value body = reply.json();
    EXPECT_TRUE(body.at("performance").is_null()) << reply.body;
    EXPECT_EQ(body.at("services").at("database").at("status"), "ok");
}

}  // namespace
}  // namespace vidgen::api::testing
