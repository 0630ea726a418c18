#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "core/metrics.hpp"
#include "worker/worker_pool.hpp"
#include "worker_fixture.hpp"

namespace vidgen::worker::testing {
namespace {

using store::JobStatus;

class WorkerPoolTest : public WorkerTest {
  protected:
    PoolOptions pool_options(int threads) {
        return {.threads = threads,
                .worker_id = "pool",
                .idle_poll = std::chrono::milliseconds(200),
                .job = options_};
    }

    // Waits (bounded) until every job is done.
    bool all_done(const std::vector<store::Job>& jobs) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (std::chrono::steady_clock::now() < deadline) {
            if (std::ranges::all_of(jobs,
                                    [&](const auto& job) { return stored(job).status == JobStatus::done; }))
                return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    }
};

TEST_F(WorkerPoolTest, RendersQueuedJobsAndCountsThem) {
    MetricsRegistry metrics;
    WorkerPool pool(services(), pool_options(1), &metrics);
    pool.start();
    std::vector<store::Job> jobs{enqueue(colour_spec(0.4)), enqueue(colour_spec(0.4)),
                                 enqueue(colour_spec(0.4, "#0000ff"))};
    ASSERT_TRUE(all_done(jobs));
    pool.stop(false);

    auto figures = pool.figures();
    EXPECT_EQ(figures.total, 1);
    EXPECT_EQ(figures.busy, 0);
    EXPECT_EQ(figures.finished, 3);
    EXPECT_EQ(figures.rendered, 2);
    EXPECT_EQ(figures.cached, 1);
    EXPECT_EQ(figures.jobs_per_minute, 3);
    auto text = metrics.render();
    EXPECT_NE(text.find(R"(vidgen_jobs_finished_total{outcome="done"} 2)"), std::string::npos) << text;
    EXPECT_NE(text.find(R"(vidgen_jobs_finished_total{outcome="cached"} 1)"), std::string::npos) << text;
    EXPECT_NE(text.find("vidgen_render_duration_seconds_count 2"), std::string::npos) << text;
    EXPECT_NE(text.find("vidgen_workers_busy 0"), std::string::npos) << text;
}

TEST_F(WorkerPoolTest, StopHandsARunningJobBackWithoutSpendingAnAttempt) {
    auto job = enqueue(moving_spec(300));
    WorkerPool pool(services(), pool_options(1));
    pool.start();
    ASSERT_TRUE(events_.wait_for([](const auto& e) { return e.type == "progress"; }));
    pool.stop(true);

    auto back = stored(job);
    EXPECT_EQ(back.status, JobStatus::queued);
    EXPECT_EQ(back.attempts, 0);
    EXPECT_TRUE(back.lease_owner.empty());
    EXPECT_TRUE(outputs_of(job).empty());
    EXPECT_EQ(events_.events().back().type, "queued");
    auto again = must(queue_->lease("next"));
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->id, job.id);
    EXPECT_EQ(again->attempts, 1);
}

TEST_F(WorkerPoolTest, StopWithoutHandBackFinishesTheRunningJob) {
    auto job = enqueue(colour_spec(2));
    WorkerPool pool(services(), pool_options(1));
    pool.start();
    ASSERT_TRUE(events_.wait_for([](const auto& e) { return e.type == "rendering"; }));
    pool.stop(false);
    EXPECT_EQ(stored(job).status, JobStatus::done);
}

}  // namespace
}  // namespace vidgen::worker::testing
