#include "queue/redis_event_bus.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/redis_server.hpp"

namespace vidgen::queue {
namespace {

using namespace std::chrono_literals;

// True as soon as `condition` holds, false when it still does not after `limit`.
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit = 2s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

// Collects the events a subscriber receives.
struct Received {
    std::mutex mutex;
    std::vector<JobEvent> events;
    EventCallback callback() {
        return [this](const JobEvent& event) {
            std::lock_guard lock(mutex);
            events.push_back(event);
        };
    }
    std::vector<std::string> jobs() {
        std::lock_guard lock(mutex);
        std::vector<std::string> ids;
        for (const JobEvent& event : events) ids.push_back(event.job_id);
        return ids;
    }
    bool has(std::string_view job) {
        auto ids = jobs();
        return std::ranges::find(ids, job) != ids.end();
    }
};

std::unique_ptr<EventBus> node(testing::RedisServer& server, std::string_view id) {
    auto bus = make_redis_event_bus(server.url(), id);
    EXPECT_TRUE(bus) << bus.error().to_string();
    return bus ? std::move(*bus) : nullptr;
}

class RedisEventBusTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto server = vidgen::testing::shared_redis();
        ASSERT_TRUE(server) << server.error().to_string();
        tenant_ = (*server)->unique_prefix() + "acme";
        a_ = node(**server, "node-a");
        b_ = node(**server, "node-b");
    }

    std::string tenant_;
    std::unique_ptr<EventBus> a_;
    std::unique_ptr<EventBus> b_;
};

TEST_F(RedisEventBusTest, AnEventPublishedOnOneNodeReachesAJobSubscriberOnAnother) {
    Received job, everyone;
    auto s1 = b_->subscribe(tenant_, "j1", job.callback());
    auto s2 = b_->subscribe_all(everyone.callback());
    a_->publish({.tenant_id = tenant_,
                 .job_id = "j1",
                 .batch_id = "b1",
                 .type = "progress",
                 .status = "rendering",
                 .progress = 0.5,
                 .data_json = R"({"id":"j1"})",
                 .time = 1234});
    a_->publish({.tenant_id = tenant_, .job_id = "j2"});
    ASSERT_TRUE(eventually([&] { return everyone.has("j2"); }));
    ASSERT_EQ(job.jobs(), std::vector<std::string>{"j1"});
    const JobEvent& got = job.events[0];
    EXPECT_EQ(got.tenant_id, tenant_);
    EXPECT_EQ(got.batch_id, "b1");
    EXPECT_EQ(got.type, "progress");
    EXPECT_EQ(got.status, "rendering");
    EXPECT_EQ(got.progress, 0.5);
    EXPECT_EQ(got.data_json, R"({"id":"j1"})");
    EXPECT_EQ(got.time, 1234);
    EXPECT_TRUE(got.remote) << "an event from another node says so";
}

TEST_F(RedisEventBusTest, ALocalEventIsDeliveredAtOnceAndOnlyOnce) {
    Received tenant;
    auto subscription = a_->subscribe(tenant_, "", tenant.callback());
    a_->publish({.tenant_id = tenant_, .job_id = "mine"});
    EXPECT_EQ(tenant.jobs(), std::vector<std::string>{"mine"});  // before publish returned
    b_->publish({.tenant_id = tenant_, .job_id = "marker"});     // reaches A after A's own message
    ASSERT_TRUE(eventually([&] { return tenant.has("marker"); }));
    EXPECT_EQ(tenant.jobs(), (std::vector<std::string>{"mine", "marker"}));
}

TEST_F(RedisEventBusTest, OtherTenantsEventsAreNotDelivered) {
    Received tenant;
    auto subscription = b_->subscribe(tenant_, "", tenant.callback());
    a_->publish({.tenant_id = tenant_ + "-other", .job_id = "theirs"});
    a_->publish({.tenant_id = tenant_, .job_id = "ours"});
    ASSERT_TRUE(eventually([&] { return tenant.has("ours"); }));
    EXPECT_EQ(tenant.jobs(), std::vector<std::string>{"ours"});
}

TEST(RedisEventBus, RefusesABadUrl) {
    auto bus = make_redis_event_bus("http://localhost", "n");
    ASSERT_FALSE(bus);
    EXPECT_EQ(bus.error().code, Code::invalid_argument);
}

TEST(RedisEventBusRestart, RedisGoingAwayKeepsEventsLocalAndResumesWhenItIsBack) {
    auto server = vidgen::testing::RedisServer::start();
    ASSERT_TRUE(server) << server.error().to_string();
    auto a = node(**server, "node-a");
    auto b = node(**server, "node-b");
    Received on_a, on_b;
    auto sa = a->subscribe("acme", "", on_a.callback());
    auto sb = b->subscribe("acme", "", on_b.callback());

    ASSERT_TRUE((*server)->stop());
    a->publish({.tenant_id = "acme", .job_id = "during"});
    EXPECT_EQ(on_a.jobs(), std::vector<std::string>{"during"});

    ASSERT_TRUE((*server)->start_again());
    int sent = 0;
    EXPECT_TRUE(eventually(
        [&] {
            a->publish({.tenant_id = "acme", .job_id = "after" + std::to_string(sent++)});
            std::this_thread::sleep_for(20ms);
            return !on_b.jobs().empty();
        },
        10s));
    EXPECT_FALSE(on_b.has("during"));
}

}  // namespace
}  // namespace vidgen::queue
