// The job lifecycle over a real SQLite store with a hand-moved clock: enqueue, lease order, complete,
// retry with backoff, dead letter, lease takeover and cancel.
#include "queue/job_queue.hpp"

#include <atomic>
#include <chrono>
#include <thread>

#include "queue_fixture.hpp"

namespace vidgen::queue::testing {
namespace {

using store::JobStatus;

TEST_F(QueueTest, EnqueueLeaseCompleteMarksTheJobDoneWithItsOutput) {
    JobQueue queue(*store_, manual_options());
    auto job = enqueue(queue);
    EXPECT_EQ(job.status, JobStatus::queued);
    EXPECT_EQ(job.created, now_.load());
    auto leased = must(queue.lease("w1"));
    ASSERT_TRUE(leased.has_value());
    EXPECT_EQ(leased->id, job.id);
    EXPECT_EQ(leased->lease_owner, "w1");
    EXPECT_EQ(leased->lease_expires, now_.load() + 30'000);
    now_ += 5000;
    must(queue.complete(store::lease_of(*leased), output_for(*leased)));
    auto done = status_of(job);
    EXPECT_EQ(done.status, JobStatus::done);
    EXPECT_EQ(done.finished, now_.load());
    EXPECT_EQ(must(store_->list_outputs(tenant_.id, job.id)).size(), 1u);
    EXPECT_FALSE(must(queue.lease("w1")).has_value());
}

TEST_F(QueueTest, EnqueueHonoursTheIdempotencyKey) {
    JobQueue queue(*store_, manual_options());
    auto first = must(queue.enqueue(job(0, "order-42")));
    auto again = must(queue.enqueue(job(0, "order-42")));
    EXPECT_TRUE(first.created);
    EXPECT_FALSE(again.created);
    EXPECT_EQ(again.job.id, first.job.id);
    EXPECT_EQ(must(store_->count_jobs(tenant_.id)).total(), 1);
}

TEST_F(QueueTest, AJobWithANotBeforeWaitsUntilThen) {
    JobQueue queue(*store_, manual_options());
    auto scheduled = job();
    scheduled.not_before = now_.load() + 60'000;
    auto id = must(queue.enqueue(scheduled)).job.id;
    EXPECT_FALSE(must(queue.lease("w")).has_value());
    now_ += 60'000;
    auto leased = must(queue.lease("w"));
    ASSERT_TRUE(leased.has_value());
    EXPECT_EQ(leased->id, id);
}

TEST_F(QueueTest, EnqueueBatchQueuesEveryJobOfTheBatch) {
    JobQueue queue(*store_, manual_options());
    store::Batch batch;
    batch.tenant_id = tenant_.id;
    auto created = must(queue.enqueue_batch(batch, {job(), job(), job()}));
    EXPECT_EQ(created.counts.queued, 3);
    EXPECT_EQ(created.created, now_.load());
    for (int i = 0; i < 3; ++i) {
        auto leased = must(queue.lease("w"));
        ASSERT_TRUE(leased.has_value());
        EXPECT_EQ(leased->batch_id, created.id);
    }
    EXPECT_FALSE(must(queue.lease("w")).has_value());
}

TEST_F(QueueTest, AWaitingWorkerIsWokenByAnEnqueue) {
    JobQueue queue(*store_, manual_options());
    std::atomic<bool> woken{false};
    std::atomic<bool> returned{false};
    std::thread waiter([&] {
        woken = queue.wait_for_work(std::chrono::minutes(1));
        returned = true;
    });
    while (!returned.load()) {
        enqueue(queue);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    waiter.join();
    EXPECT_TRUE(woken.load());
    EXPECT_FALSE(queue.wait_for_work(std::chrono::milliseconds(1)));
}

TEST_F(QueueTest, WorkQueuedBetweenAnEmptyLeaseAndTheWaitIsNotMissed) {
    JobQueue queue(*store_, manual_options());
    const auto generation = queue.work_generation();
    EXPECT_FALSE(must(queue.lease("w")).has_value());
    enqueue(queue);  // before the worker waits
    EXPECT_TRUE(queue.wait_for_work(std::chrono::minutes(1), generation));
    EXPECT_FALSE(queue.wait_for_work(std::chrono::milliseconds(1), queue.work_generation()));
}

TEST_F(QueueTest, LeasesHigherPriorityFirstThenOlder) {
    JobQueue queue(*store_, manual_options());
    auto old_low = enqueue(queue, 0);
    now_ += 10;
    auto old_high = enqueue(queue, 5);
    now_ += 10;
    auto new_low = enqueue(queue, 0);
    now_ += 10;
    auto new_high = enqueue(queue, 5);
    for (const auto& expected : {old_high, new_high, old_low, new_low}) {
        auto leased = must(queue.lease("w"));
        ASSERT_TRUE(leased.has_value());
        EXPECT_EQ(leased->id, expected.id);
    }
    EXPECT_FALSE(must(queue.lease("w")).has_value());
}

TEST_F(QueueTest, RetriesAfterABackoffTakenFromTheInjectedClockAndRandomSource) {
    auto options = manual_options();
    options.retry = {.max_attempts = 3, .base_seconds = 10, .factor = 3, .cap_seconds = 600, .jitter = 0.5};
    random_ = 0.5;  // the wait is 75% of the exponential one
    JobQueue queue(*store_, options);
    auto job = enqueue(queue);
    for (store::TimeMs wait_ms : {7500, 22'500}) {
        auto leased = must(queue.lease("w"));
        ASSERT_TRUE(leased.has_value());
        auto outcome = must(queue.fail(store::lease_of(*leased), "decoder crashed"));
        EXPECT_TRUE(outcome.requeued);
        EXPECT_EQ(outcome.not_before, now_.load() + wait_ms);
        EXPECT_EQ(status_of(job).status, JobStatus::queued);
        now_ += wait_ms - 1;
        EXPECT_FALSE(must(queue.lease("w")).has_value());
        now_ += 1;
    }
    auto third = must(queue.lease("w"));
    ASSERT_TRUE(third.has_value());
    EXPECT_EQ(third->attempts, 3);
}

TEST_F(QueueTest, FailsForGoodAfterMaxAttemptsWithTheLastError) {
    auto options = manual_options();
    options.retry = {.max_attempts = 3, .base_seconds = 1, .factor = 2, .cap_seconds = 60, .jitter = 0};
    JobQueue queue(*store_, options);
    auto job = enqueue(queue);
    for (int attempt = 1; attempt <= 3; ++attempt) {
        now_ += 60'000;
        auto leased = must(queue.lease("w"));
        ASSERT_TRUE(leased.has_value());
        EXPECT_EQ(leased->attempts, attempt);
        auto outcome = must(queue.fail(store::lease_of(*leased), "error " + std::to_string(attempt)));
        EXPECT_EQ(outcome.requeued, attempt < 3);
    }
    now_ += 600'000;
    EXPECT_FALSE(must(queue.lease("w")).has_value());
    auto failed = status_of(job);
    EXPECT_EQ(failed.status, JobStatus::failed);
    EXPECT_EQ(failed.error, "error 3");
}

TEST_F(QueueTest, AFailureThatMustNotBeRetriedFailsAtOnce) {
    JobQueue queue(*store_, manual_options());
    auto job = enqueue(queue);
    auto leased = must(queue.lease("w"));
    ASSERT_TRUE(leased.has_value());
    auto outcome = must(queue.fail(store::lease_of(*leased), "invalid spec", Retry::never));
    EXPECT_FALSE(outcome.requeued);
    EXPECT_EQ(status_of(job).status, JobStatus::failed);
}

TEST_F(QueueTest, ExpiredLeaseIsTakenOverAndTheStaleWorkerCannotFinishIt) {
    JobQueue queue(*store_, manual_options());
    auto job = enqueue(queue);
    auto first = must(queue.lease("w1"));
    ASSERT_TRUE(first.has_value());
    now_ += 29'999;
    EXPECT_FALSE(must(queue.lease("w2")).has_value());
    now_ += 1;
    auto second = must(queue.lease("w2"));
    ASSERT_TRUE(second.has_value());
    EXPECT_EQ(second->id, job.id);
    EXPECT_EQ(second->attempts, 2);
    auto stale = store::lease_of(*first);
    EXPECT_EQ(queue.complete(stale, output_for(job)).error().code, Code::not_found);
    EXPECT_EQ(queue.fail(stale, "late").error().code, Code::not_found);
    EXPECT_EQ(queue.extend(stale, 0.5).error().code, Code::not_found);
    EXPECT_EQ(queue.check(*first).error().code, Code::not_found);
    must(queue.check(*second));
    must(queue.complete(store::lease_of(*second), output_for(job)));
    EXPECT_EQ(status_of(job).status, JobStatus::done);
    EXPECT_EQ(must(store_->list_outputs(tenant_.id, job.id)).size(), 1u);
}

TEST_F(QueueTest, AJobWhoseLeasesKeepExpiringIsDeadLettered) {
    auto options = manual_options();
    options.retry.max_attempts = 2;
    JobQueue queue(*store_, options);
    auto job = enqueue(queue);
    for (int attempt = 1; attempt <= 2; ++attempt) {
        ASSERT_TRUE(must(queue.lease("crashing-worker")).has_value());
        now_ += 31'000;
    }
    EXPECT_FALSE(must(queue.lease("w")).has_value());
    auto failed = status_of(job);
    EXPECT_EQ(failed.status, JobStatus::failed);
    EXPECT_NE(failed.error.find("lease expired"), std::string::npos) << failed.error;
}

TEST_F(QueueTest, CancelOfAQueuedJobIsImmediate) {
    JobQueue queue(*store_, manual_options());
    auto job = enqueue(queue);
    EXPECT_EQ(must(queue.cancel(tenant_.id, job.id)).status, JobStatus::canceled);
    EXPECT_FALSE(must(queue.lease("w")).has_value());
}

TEST_F(QueueTest, CancelOfALeasedJobStopsItsWorker) {
    JobQueue queue(*store_, manual_options());
    auto job = enqueue(queue);
    auto leased = must(queue.lease("w"));
    ASSERT_TRUE(leased.has_value());
    EXPECT_EQ(must(queue.cancel(tenant_.id, job.id)).status, JobStatus::canceled);
    auto lease = store::lease_of(*leased);
    EXPECT_EQ(queue.check(*leased).error().code, Code::canceled);
    EXPECT_EQ(queue.extend(lease, 0.5).error().code, Code::canceled);
    EXPECT_EQ(queue.complete(lease, output_for(job)).error().code, Code::canceled);
    EXPECT_EQ(status_of(job).status, JobStatus::canceled);
    EXPECT_TRUE(must(store_->list_outputs(tenant_.id, job.id)).empty());
}

TEST_F(QueueTest, AnotherTenantCannotCancelAJob) {
    JobQueue queue(*store_, manual_options());
    auto other = must(store_->create_tenant({.id = "", .name = "other", .created = 1000}));
    auto job = enqueue(queue);
    EXPECT_EQ(queue.cancel(other.id, job.id).error().code, Code::not_found);
    EXPECT_EQ(status_of(job).status, JobStatus::queued);
}

}  // namespace
}  // namespace vidgen::queue::testing
