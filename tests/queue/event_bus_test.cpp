#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "queue/events.hpp"

namespace vidgen::queue {
namespace {

JobEvent event_for(std::string tenant, std::string job, std::string type = "progress") {
    return {.tenant_id = std::move(tenant), .job_id = std::move(job), .type = std::move(type)};
}

// Collects the job ids of the events a subscriber receives.
struct Received {
    std::mutex mutex;
    std::vector<std::string> jobs;
    EventCallback callback() {
        return [this](const JobEvent& event) {
            std::lock_guard lock(mutex);
            jobs.push_back(event.job_id);
        };
    }
};

TEST(EventBus, DeliversToTheTenantItsJobsAndEveryone) {
    auto bus = make_local_event_bus();
    Received tenant, job, other_tenant, everyone;
    auto s1 = bus->subscribe("acme", "", tenant.callback());
    auto s2 = bus->subscribe("acme", "j1", job.callback());
    auto s3 = bus->subscribe("umbrella", "", other_tenant.callback());
    auto s4 = bus->subscribe_all(everyone.callback());

    bus->publish(event_for("acme", "j1"));
    bus->publish(event_for("acme", "j2"));
    bus->publish(event_for("umbrella", "j3"));

    EXPECT_EQ(tenant.jobs, (std::vector<std::string>{"j1", "j2"}));
    EXPECT_EQ(job.jobs, (std::vector<std::string>{"j1"}));
    EXPECT_EQ(other_tenant.jobs, (std::vector<std::string>{"j3"}));
    EXPECT_EQ(everyone.jobs, (std::vector<std::string>{"j1", "j2", "j3"}));
}

TEST(EventBus, EmptyTenantSubscriptionSeesNoOtherTenant) {
    auto bus = make_local_event_bus();
    Received nobody;
    auto subscription = bus->subscribe("", "", nobody.callback());
    bus->publish(event_for("acme", "j1"));
    EXPECT_TRUE(nobody.jobs.empty());
}

TEST(EventBus, EndedSubscriptionReceivesNothing) {
    auto bus = make_local_event_bus();
    Received tenant, everyone;
    auto s1 = bus->subscribe("acme", "", tenant.callback());
    auto s2 = bus->subscribe_all(everyone.callback());
    s1.reset();
    s2.reset();
    bus->publish(event_for("acme", "j1"));
    EXPECT_TRUE(tenant.jobs.empty());
    EXPECT_TRUE(everyone.jobs.empty());
}

TEST(EventBus, EndingASubscriptionWaitsForItsCallbackInFlight) {
    auto bus = make_local_event_bus();
    std::atomic<bool> entered{false}, release{false}, finished{false};
    auto subscription = bus->subscribe("acme", "", [&](const JobEvent&) {
        entered = true;
        while (!release) std::this_thread::yield();
        finished = true;
    });
    std::jthread publisher([&] { bus->publish(event_for("acme", "j1")); });
    while (!entered) std::this_thread::yield();

    std::atomic<bool> finished_when_ended{false};
    std::jthread ender([&] {
        subscription.reset();
        finished_when_ended = finished.load();
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    release = true;
    ender.join();
    EXPECT_TRUE(finished_when_ended);
}

TEST(EventBus, CallbacksRunWithoutTheBusLock) {
    auto bus = make_local_event_bus();
    Received nested;
    std::unique_ptr<Subscription> inner;
    auto outer = bus->subscribe("acme", "", [&](const JobEvent& event) {
        if (event.job_id != "j1") return;
        inner = bus->subscribe("umbrella", "", nested.callback());
        bus->publish(event_for("umbrella", "j2"));
    });
    bus->publish(event_for("acme", "j1"));
    EXPECT_EQ(nested.jobs, (std::vector<std::string>{"j2"}));
}

TEST(EventBus, CallbackMayEndItsOwnSubscription) {
    auto bus = make_local_event_bus();
    int calls = 0;
    std::unique_ptr<Subscription> subscription;
    subscription = bus->subscribe("acme", "", [&](const JobEvent&) {
        ++calls;
        subscription.reset();
    });
    bus->publish(event_for("acme", "j1"));
    bus->publish(event_for("acme", "j2"));
    EXPECT_EQ(calls, 1);
}

TEST(EventBus, ConcurrentPublishersAndSubscribers) {
    auto bus = make_local_event_bus();
    std::atomic<int> seen{0};
    auto everyone = bus->subscribe_all([&](const JobEvent&) { seen.fetch_add(1); });
    {
        std::vector<std::jthread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < 500; ++i) {
                    auto local = bus->subscribe("acme", std::to_string(i), [](const JobEvent&) {});
                    bus->publish(event_for("acme", std::to_string(t * 1000 + i)));
                }
            });
        }
    }
    EXPECT_EQ(seen.load(), 2000);
}

}  // namespace
}  // namespace vidgen::queue
