// Server-Sent Events: GET /api/v1/jobs/{id}/events and GET /api/v1/events.
#include <gtest/gtest.h>

#include "api_fixture.hpp"

namespace vidgen::api::testing {
namespace {

namespace json = boost::json;

class EventsTest : public ApiTest {
  protected:
    std::string new_job(const std::string& key = kKeyA) {
        auto reply = create_job(R"({"spec":)" + tiny_spec_json() + "}", key);
        EXPECT_EQ(reply.status, 202) << reply.body;
        return std::string(reply.json().at("id").as_string());
    }

    // What a worker publishes when the job changes.
    void publish(const std::string& job_id, const std::string& type, const std::string& status,
                 double progress) {
        events_->publish({.tenant_id = tenant_a_.id,
                          .job_id = job_id,
                          .type = type,
                          .status = status,
                          .progress = progress,
                          .data_json = json::serialize(json::object{{"id", job_id}, {"status", status}}),
                          .time = 1});
    }
};

std::vector<std::string> names(const std::vector<SseEvent>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) out.push_back(e.event);
    return out;
}

TEST_F(EventsTest, JobStreamStartsWithTheStateAndEndsAfterTheFinalEvent) {
    std::string id = new_job();
    auto stream = open_events("/api/v1/jobs/" + id + "/events");
    ASSERT_EQ(stream->status(), 200) << stream->body();
    auto first = stream->wait_for(1);
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].event, "queued");
    EXPECT_EQ(json::parse(first[0].data).at("id").as_string(), id);
    publish(id, "rendering", "rendering", 0);
    publish(id, "progress", "rendering", 0.5);
    EXPECT_FALSE(stream->wait_closed(std::chrono::milliseconds{50}));
    publish(id, "done", "done", 1);
    EXPECT_TRUE(stream->wait_closed());
    EXPECT_EQ(names(stream->wait_for(4)),
              (std::vector<std::string>{"queued", "rendering", "progress", "done"}));
}

TEST_F(EventsTest, CancelEndsTheJobStream) {
    std::string id = new_job();
    auto stream = open_events("/api/v1/jobs/" + id + "/events");
    ASSERT_EQ(stream->wait_for(1).size(), 1u);
    ASSERT_EQ(post("/api/v1/jobs/" + id + "/cancel", "").status, 200);
    EXPECT_TRUE(stream->wait_closed());
    auto events = stream->wait_for(2);
    EXPECT_EQ(names(events), (std::vector<std::string>{"queued", "canceled"}));
    EXPECT_EQ(json::parse(events[1].data).at("status").as_string(), "canceled");
}

TEST_F(EventsTest, AFinishedJobSendsItsStateAndCloses) {
    std::string id = new_job();
    ASSERT_EQ(post("/api/v1/jobs/" + id + "/cancel", "").status, 200);
    auto stream = open_events("/api/v1/jobs/" + id + "/events");
    EXPECT_TRUE(stream->wait_closed());
    EXPECT_EQ(names(stream->wait_for(1)), std::vector<std::string>{"canceled"});
}

TEST_F(EventsTest, OtherJobsDoNotReachAJobStream) {
    std::string id = new_job();
    auto stream = open_events("/api/v1/jobs/" + id + "/events");
    ASSERT_EQ(stream->wait_for(1).size(), 1u);
    std::string other = new_job();
    publish(other, "done", "done", 1);
    EXPECT_FALSE(stream->wait_closed(std::chrono::milliseconds{50}));
    EXPECT_EQ(stream->wait_for(1).size(), 1u);
}

TEST_F(EventsTest, UnknownOrForeignJobIs404) {
    EXPECT_EQ(open_events("/api/v1/jobs/nope/events")->status(), 404);
    std::string id = new_job();
    EXPECT_EQ(open_events("/api/v1/jobs/" + id + "/events", kKeyB)->status(), 404);
}

TEST_F(EventsTest, TenantStreamSeesEveryJobOfItsTenantOnly) {
    new_job();
    auto stream = open_events("/api/v1/events");
    ASSERT_EQ(stream->status(), 200);
    auto first = stream->wait_for(1);
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].event, "status");
    EXPECT_EQ(json::parse(first[0].data).at("queued").as_int64(), 1);
    new_job(kKeyB);
    std::string id = new_job();
    auto events = stream->wait_for(2);
    ASSERT_EQ(names(events), (std::vector<std::string>{"status", "queued"}));
    EXPECT_EQ(json::parse(events[1].data).at("id").as_string(), id);
    EXPECT_FALSE(stream->wait_closed(std::chrono::milliseconds{20}));
}

}  // namespace
}  // namespace vidgen::api::testing
