// GET /api/v1/status.
#include <gtest/gtest.h>

#include "api_fixture.hpp"

namespace vidgen::api::testing {
namespace {

class StatusTest : public ApiTest {};

TEST_F(StatusTest, CountsWorkersAndOldestQueuedAge) {
    context_.workers = [] {
        return WorkerFigures{.total = 4, .busy = 1, .jobs_finished = 9, .jobs_per_minute = 3};
    };
    auto old_job = must(store_->insert_job({.tenant_id = tenant_a_.id,
                                            .spec_json = tiny_spec_json(),
                                            .data_json = "{}",
                                            .created = queue_->now() - 120'000}));
    ASSERT_TRUE(old_job.created);
    auto canceled = create_job(R"({"spec":)" + tiny_spec_json() + "}");
    ASSERT_EQ(
        post("/api/v1/jobs/" + std::string(canceled.json().at("id").as_string()) + "/cancel", "").status,
        200);
    create_job(R"({"spec":)" + tiny_spec_json() + "}", kKeyB);
    auto reply = get("/api/v1/status");
    ASSERT_EQ(reply.status, 200) << reply.body;
    auto body = reply.json();
    EXPECT_EQ(body.at("counts").at("queued").as_int64(), 1);
    EXPECT_EQ(body.at("counts").at("canceled").as_int64(), 1);
    EXPECT_EQ(body.at("counts").at("total").as_int64(), 2);
    EXPECT_EQ(body.at("workers").at("total").as_int64(), 4);
    EXPECT_EQ(body.at("workers").at("busy").as_int64(), 1);
    EXPECT_EQ(body.at("workers").at("idle").as_int64(), 3);
    EXPECT_EQ(body.at("throughput").at("jobs_finished").to_number<int>(), 9);
    EXPECT_GE(body.at("oldest_queued_seconds").to_number<double>(), 119.0);
}

TEST_F(StatusTest, AnEmptyQueueWithoutWorkers) {
    auto body = get("/api/v1/status", kKeyB).json();
    EXPECT_EQ(body.at("counts").at("total").as_int64(), 0);
    EXPECT_EQ(body.at("workers").at("total").as_int64(), 0);
    EXPECT_EQ(body.at("oldest_queued_seconds").to_number<double>(), 0.0);
    EXPECT_EQ(get("/api/v1/status", "").status, 401);
}

}  // namespace
}  // namespace vidgen::api::testing
