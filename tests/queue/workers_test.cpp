// Four worker threads drain 200 jobs from one real SQLite store, some failing their first attempt: every
// job ends done exactly once, with one output.
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "queue/job_queue.hpp"
#include "queue/lease_heartbeat.hpp"
#include "queue_fixture.hpp"

namespace vidgen::queue::testing {
namespace {

constexpr int kJobs = 200;
constexpr int kWorkers = 4;

class WorkersTest : public QueueTest {
  protected:
    // Runs one job while its heartbeat checks it: jobs whose priority is odd fail their first attempt.
    // False when a queue call failed.
    bool run_one(JobQueue& queue, const store::Job& leased) {
        LeaseHeartbeat heartbeat(queue, leased);
        heartbeat.set_progress(0.5);
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        heartbeat.stop();
        if (heartbeat.stop_flag().load()) return false;
        if (leased.priority % 2 == 1 && leased.attempts == 1) {
            auto failed = queue.fail(heartbeat.lease(), "first attempt fails");
            return failed.has_value() && failed->requeued;
        }
        if (!queue.complete(heartbeat.lease(), output_for(leased))) return false;
        std::lock_guard lock(mutex_);
        ++completions_[leased.id];
        return true;
    }

    // Leases and runs jobs until all are done, or stops at the first failed queue call.
    void work(JobQueue& queue, const std::string& worker_id) {
        while (done_count() < kJobs && !broken_.load()) {
            auto leased = queue.lease(worker_id);
            if (!leased) {
                ADD_FAILURE() << leased.error().to_string();
                broken_ = true;
            } else if (!leased->has_value()) {
                queue.wait_for_work(std::chrono::milliseconds(20));
            } else if (!run_one(queue, **leased)) {
                ADD_FAILURE() << "a queue call failed for " << (*leased)->id;
                broken_ = true;
            }
        }
    }

    int done_count() {
        std::lock_guard lock(mutex_);
        return static_cast<int>(completions_.size());
    }

    std::mutex mutex_;
    std::map<std::string, int> completions_;
    std::atomic<bool> broken_{false};
};

TEST_F(WorkersTest, FourWorkersCompleteEveryJobExactlyOnce) {
    QueueOptions options;
    options.cancel_check_seconds = 0.001;
    options.retry = {.max_attempts = 3, .base_seconds = 0, .factor = 2, .cap_seconds = 0, .jitter = 0};
    JobQueue queue(*store_, options);
    std::vector<std::thread> workers;
    for (int w = 0; w < kWorkers; ++w) {
        workers.emplace_back([&, w] { work(queue, "worker-" + std::to_string(w)); });
    }
    std::vector<store::Job> jobs;
    for (int i = 0; i < kJobs; ++i) jobs.push_back(must(queue.enqueue(job(i % 5))).job);
    for (auto& worker : workers) worker.join();
    ASSERT_EQ(completions_.size(), static_cast<size_t>(kJobs));
    for (const auto& job : jobs) {
        EXPECT_EQ(completions_[job.id], 1) << job.id;
        auto final = status_of(job);
        EXPECT_EQ(final.status, store::JobStatus::done);
        EXPECT_EQ(final.attempts, job.priority % 2 == 1 ? 2 : 1);
        EXPECT_EQ(must(store_->list_outputs(tenant_.id, job.id)).size(), 1u);
    }
    EXPECT_EQ(must(store_->count_jobs(tenant_.id)).done, kJobs);
}

}  // namespace
}  // namespace vidgen::queue::testing
