// The queue-facing calls: lease order, lease takeover, attempt checks, cancel, backoff, exactly-once
// completion.
#include <atomic>
#include <thread>

#include "store_fixture.hpp"

namespace vidgen::store::testing {
namespace {

class QueueTest : public StoreTest {
  protected:
    Job lease(std::string_view worker, TimeMs now, double seconds = 30) {
        auto leased = must(store_->lease_next_job(worker, seconds, now));
        EXPECT_TRUE(leased.has_value());
        return leased.value_or(Job{});
    }
    static Output output_of(const Job& job) {
        return {.job_id = job.id,
                .content_key = "sha256/" + job.id,
                .size = 1234,
                .duration = 2.5,
                .format = "mp4"};
    }
};

TEST_P(QueueTest, LeasesHighestPriorityThenOldest) {
    auto old_low = insert(alice_, 10, 0);
    auto new_high = insert(bob_, 30, 5);
    auto old_high = insert(alice_, 20, 5);
    EXPECT_EQ(lease("w", 100).id, old_high.id);
    EXPECT_EQ(lease("w", 100).id, new_high.id);
    EXPECT_EQ(lease("w", 100).id, old_low.id);
    EXPECT_FALSE(must(store_->lease_next_job("w", 30, 100)).has_value());
}

TEST_P(QueueTest, LeaseMarksTheJobRendering) {
    auto job = insert(alice_, 10);
    auto leased = lease("worker-1", 1000, 30);
    EXPECT_EQ(leased.id, job.id);
    EXPECT_EQ(leased.status, JobStatus::rendering);
    EXPECT_EQ(leased.attempts, 1);
    EXPECT_EQ(leased.lease_owner, "worker-1");
    EXPECT_EQ(leased.lease_expires, 31'000);
    EXPECT_EQ(leased.started, 1000);
    EXPECT_EQ(must(store_->get_job(alice_.id, job.id)).status, JobStatus::rendering);
}

TEST_P(QueueTest, ExpiredLeaseIsTakenOverAndTheStaleWorkerIsLockedOut) {
    insert(alice_, 10);
    auto first = lease("w1", 1000, 10);
    EXPECT_FALSE(must(store_->lease_next_job("w2", 10, 5000)).has_value());
    auto second = lease("w2", 11'000, 10);
    EXPECT_EQ(second.id, first.id);
    EXPECT_EQ(second.attempts, 2);
    auto stale = lease_of(first);
    EXPECT_EQ(store_->heartbeat(stale, 30'000, 0.5).error().code, Code::not_found);
    EXPECT_EQ(store_->complete_job(stale, {output_of(first)}, 12'000).error().code, Code::not_found);
    EXPECT_EQ(store_->fail_job(stale, "late", 12'000).error().code, Code::not_found);
    must(store_->heartbeat(lease_of(second), 40'000, 0.5));
    auto job = must(store_->get_job(alice_.id, first.id));
    EXPECT_EQ(job.lease_expires, 40'000);
    EXPECT_DOUBLE_EQ(job.progress, 0.5);
}

TEST_P(QueueTest, SameWorkerWithAnOldAttemptCannotComplete) {
    insert(alice_, 10);
    auto first = lease("w1", 1000, 10);
    auto retaken = lease("w1", 20'000, 10);
    EXPECT_EQ(store_->complete_job(lease_of(first), {}, 21'000).error().code, Code::not_found);
    must(store_->complete_job(lease_of(retaken), {}, 21'000));
}

TEST_P(QueueTest, CompleteWritesOutputsAndHappensOnce) {
    auto job = insert(alice_, 10);
    auto leased = lease("w", 100);
    must(store_->complete_job(lease_of(leased), {output_of(leased)}, 200));
    EXPECT_EQ(store_->complete_job(lease_of(leased), {output_of(leased)}, 300).error().code, Code::not_found);
    auto done = must(store_->get_job(alice_.id, job.id));
    EXPECT_EQ(done.status, JobStatus::done);
    EXPECT_EQ(done.finished, 200);
    EXPECT_DOUBLE_EQ(done.progress, 1);
    auto outputs = must(store_->list_outputs(alice_.id, job.id));
    ASSERT_EQ(outputs.size(), 1u);
    EXPECT_EQ(outputs[0].size, 1234);
    EXPECT_DOUBLE_EQ(outputs[0].duration, 2.5);
    EXPECT_EQ(outputs[0].format, "mp4");
    EXPECT_FALSE(must(store_->lease_next_job("w", 30, 1'000'000)).has_value());
}

TEST_P(QueueTest, FourRacingCompletionsSucceedExactlyOnce) {
    auto job = insert(alice_, 10);
    auto leased = lease("w", 100);
    std::atomic<int> successes = 0;
    std::atomic<int> refusals = 0;
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
        threads.emplace_back([&] {
            auto result = store_->complete_job(lease_of(leased), {output_of(leased)}, 200);
            if (result) {
                ++successes;
            } else if (result.error().code == Code::not_found) {
                ++refusals;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(successes.load(), 1);
    EXPECT_EQ(refusals.load(), 3);
    EXPECT_EQ(must(store_->list_outputs(alice_.id, job.id)).size(), 1u);
}

TEST_P(QueueTest, ConcurrentWorkersNeverLeaseTheSameJob) {
    for (int i = 0; i < 200; ++i) insert(i % 2 ? alice_ : bob_, i);
    std::atomic<int> leased = 0;
    std::vector<std::thread> threads;
    for (int w = 0; w < 4; ++w) {
        threads.emplace_back([&, w] {
            std::string worker = "w" + std::to_string(w);
            for (;;) {
                auto job = store_->lease_next_job(worker, 60, 1000);
                if (!job || !*job) return;
                if (store_->complete_job(lease_of(**job), {}, 1001)) ++leased;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(leased.load(), 200);
    EXPECT_EQ(must(store_->count_jobs(alice_.id)).done, 100);
}

TEST_P(QueueTest, FailedJobKeepsItsError) {
    auto job = insert(alice_, 10);
    auto leased = lease("w", 100);
    must(store_->fail_job(lease_of(leased), "decoder exploded", 150));
    auto failed = must(store_->get_job(alice_.id, job.id));
    EXPECT_EQ(failed.status, JobStatus::failed);
    EXPECT_EQ(failed.error, "decoder exploded");
    EXPECT_EQ(failed.finished, 150);
}

TEST_P(QueueTest, RequeuedJobWaitsForItsBackoff) {
    auto job = insert(alice_, 10);
    auto leased = lease("w", 100);
    must(store_->requeue_with_backoff(lease_of(leased), "network", 5000, 150));
    auto queued = must(store_->get_job(alice_.id, job.id));
    EXPECT_EQ(queued.status, JobStatus::queued);
    EXPECT_EQ(queued.error, "network");
    EXPECT_FALSE(must(store_->lease_next_job("w", 30, 4999)).has_value());
    auto again = lease("w", 5000);
    EXPECT_EQ(again.id, job.id);
    EXPECT_EQ(again.attempts, 2);
}

TEST_P(QueueTest, CancelStopsQueuedAndRunningJobsButNotFinishedOnes) {
    auto queued = insert(alice_, 10);
    auto running = insert(alice_, 20);
    auto leased = lease("w", 100);
    ASSERT_EQ(leased.id, queued.id);
    EXPECT_EQ(must(store_->cancel_job(alice_.id, queued.id, 110)).status, JobStatus::canceled);
    EXPECT_EQ(store_->heartbeat(lease_of(leased), 9000, 0.3).error().code, Code::canceled);
    EXPECT_EQ(store_->complete_job(lease_of(leased), {}, 120).error().code, Code::canceled);
    auto second = lease("w", 130);
    ASSERT_EQ(second.id, running.id);
    must(store_->complete_job(lease_of(second), {}, 140));
    EXPECT_EQ(must(store_->cancel_job(alice_.id, running.id, 150)).status, JobStatus::done);
}

TEST_P(QueueTest, RenderKeyFindsTheOutputsOfADoneJobOfTheSameTenant) {
    Job job = job_for(alice_, 10);
    job.render_key = "rk-1";
    auto inserted = must(store_->insert_job(job)).job;
    EXPECT_TRUE(must(store_->find_rendered(alice_.id, "rk-1")).empty());
    auto leased = lease("w", 100);
    ASSERT_EQ(leased.render_key, "rk-1");
    must(store_->complete_job(lease_of(leased), {output_of(leased)}, 200));
    auto found = must(store_->find_rendered(alice_.id, "rk-1"));
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].job_id, inserted.id);
    EXPECT_TRUE(must(store_->find_rendered(bob_.id, "rk-1")).empty());
    EXPECT_TRUE(must(store_->find_rendered(alice_.id, "rk-2")).empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, QueueTest, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace vidgen::store::testing
