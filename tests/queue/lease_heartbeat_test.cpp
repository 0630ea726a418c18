// LeaseHeartbeat on a real store and the real clock: it keeps a long job leased, and reports a cancel
// and a takeover through its stop flag.
#include "queue/lease_heartbeat.hpp"

#include <chrono>
#include <functional>
#include <thread>

#include "queue_fixture.hpp"

namespace vidgen::queue::testing {
namespace {

using namespace std::chrono_literals;

// Polls `condition` until it holds or a generous bound passes; the bound only keeps a broken build from
// hanging, it is not a speed requirement.
bool eventually(const std::function<bool()>& condition) {
    auto give_up = std::chrono::steady_clock::now() + 15s;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > give_up) return false;
        std::this_thread::sleep_for(10ms);
    }
    return true;
}

class LeaseHeartbeatTest : public QueueTest {
  protected:
    static QueueOptions real_time_options(double lease_seconds) {
        QueueOptions options;
        options.lease_seconds = lease_seconds;
        options.cancel_check_seconds = 0.05;
        return options;
    }
};

TEST_F(LeaseHeartbeatTest, KeepsAJobLeasedPastItsFirstExpiry) {
    JobQueue queue(*store_, real_time_options(1.5));
    auto job = enqueue(queue);
    auto leased = must(queue.lease("w1"));
    ASSERT_TRUE(leased.has_value());
    LeaseHeartbeat heartbeat(queue, *leased);
    heartbeat.set_progress(0.25);
    ASSERT_TRUE(eventually([&] { return queue.now() > leased->lease_expires + 500; }));
    ASSERT_TRUE(eventually([&] { return heartbeat.extensions() >= 4; }));
    EXPECT_FALSE(must(queue.lease("w2")).has_value());
    heartbeat.stop();
    EXPECT_FALSE(heartbeat.stop_flag().load());
    auto held = status_of(job);
    EXPECT_GT(held.lease_expires, leased->lease_expires);
    EXPECT_DOUBLE_EQ(held.progress, 0.25);
    must(queue.complete(heartbeat.lease(), output_for(job)));
    EXPECT_EQ(status_of(job).status, store::JobStatus::done);
}

TEST_F(LeaseHeartbeatTest, WritesProgressBeforeTheNextExtensionIsDue) {
    JobQueue queue(*store_, real_time_options(600));
    auto job = enqueue(queue);
    auto leased = must(queue.lease("w1"));
    ASSERT_TRUE(leased.has_value());
    LeaseHeartbeat heartbeat(queue, *leased);
    heartbeat.set_progress(0.5);
    EXPECT_TRUE(eventually([&] { return status_of(job).progress == 0.5; }));
    EXPECT_GT(status_of(job).lease_expires, leased->lease_expires);
}

TEST_F(LeaseHeartbeatTest, ReportsACancelOfTheRunningJob) {
    JobQueue queue(*store_, real_time_options(30));
    auto job = enqueue(queue);
    auto leased = must(queue.lease("w1"));
    ASSERT_TRUE(leased.has_value());
    LeaseHeartbeat heartbeat(queue, *leased);
    EXPECT_FALSE(heartbeat.stop_flag().load());
    must(queue.cancel(tenant_.id, job.id));
    ASSERT_TRUE(eventually([&] { return heartbeat.stop_flag().load(); }));
    EXPECT_TRUE(heartbeat.canceled());
    EXPECT_FALSE(heartbeat.lost());
}

TEST_F(LeaseHeartbeatTest, CheckNowReportsACancelWithoutWaitingForThePeriodicCheck) {
    QueueOptions hourly = real_time_options(3600);
    hourly.cancel_check_seconds = 3600;
    JobQueue queue(*store_, hourly);
    auto job = enqueue(queue);
    auto leased = must(queue.lease("w1"));
    ASSERT_TRUE(leased.has_value());
    LeaseHeartbeat heartbeat(queue, *leased);
    must(queue.cancel(tenant_.id, job.id));
    LeaseHeartbeat::check_now("another-job");
    LeaseHeartbeat::check_now(job.id);
    ASSERT_TRUE(eventually([&] { return heartbeat.stop_flag().load(); }));
    EXPECT_TRUE(heartbeat.canceled());
}

TEST_F(LeaseHeartbeatTest, ReportsALeaseTakenOverByAnotherWorker) {
    JobQueue queue(*store_, real_time_options(30));
    auto job = enqueue(queue);
    auto leased = must(queue.lease("w1"));
    ASSERT_TRUE(leased.has_value());
    LeaseHeartbeat heartbeat(queue, *leased);
    QueueOptions later = real_time_options(30);
    later.clock = [&queue] { return queue.now() + 60'000; };  // a worker that sees the lease expired
    JobQueue other(*store_, later);
    auto taken = must(other.lease("w2"));
    ASSERT_TRUE(taken.has_value());
    EXPECT_EQ(taken->id, job.id);
    ASSERT_TRUE(eventually([&] { return heartbeat.stop_flag().load(); }));
    EXPECT_TRUE(heartbeat.lost());
    EXPECT_FALSE(heartbeat.canceled());
    EXPECT_EQ(queue.complete(heartbeat.lease(), output_for(job)).error().code, Code::not_found);
    must(other.complete(store::lease_of(*taken), output_for(job)));
}

TEST_F(LeaseHeartbeatTest, StopsWithoutAStoreCallOnceDestroyed) {
    JobQueue queue(*store_, real_time_options(30));
    auto job = enqueue(queue);
    auto leased = must(queue.lease("w1"));
    ASSERT_TRUE(leased.has_value());
    { LeaseHeartbeat heartbeat(queue, *leased); }
    must(queue.complete(store::lease_of(*leased), output_for(job)));
    EXPECT_EQ(status_of(job).status, store::JobStatus::done);
}

}  // namespace
}  // namespace vidgen::queue::testing
