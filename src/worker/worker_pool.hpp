// WorkerPool: the render workers of one process. Each of N threads waits for work, leases a job, runs it
// (job_runner.hpp) and leases the next, until stop(). stop(hand_back = true) also stops the renders in
// progress (within about a second) and hands their jobs back to the queue at once, without spending an
// attempt, so another worker or the next start picks them up. figures() feeds /api/v1/status; with a
// MetricsRegistry the pool also keeps vidgen_jobs_finished_total{outcome},
// vidgen_render_duration_seconds, vidgen_render_frames_per_second and vidgen_workers_busy.
// start(), stop() and the destructor belong to one owning thread; figures() is thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/metrics.hpp"
#include "worker/job_runner.hpp"

namespace vidgen::worker {

struct PoolOptions {
    int threads = 1;
    std::string worker_id = "worker";  // thread n leases as "<worker_id>-<n>"; unique per process (host:pid)
    std::chrono::milliseconds idle_poll{1000};  // longest wait between looks at the queue when idle
    WorkerOptions job{};
};

struct WorkerFigures {
    int total = 0;               // worker threads
    int busy = 0;                // running a job now
    std::int64_t finished = 0;   // jobs ended here (done, cached, failed, canceled) since start
    std::int64_t rendered = 0;   // of those, rendered here (done, not taken from the render cache)
    std::int64_t cached = 0;     // of those, completed from the render cache
    double jobs_per_minute = 0;  // jobs finished in the last minute
};

class WorkerPool {
  public:
    // `services` and `metrics` (null: none) must outlive the pool.
    WorkerPool(WorkerServices services, PoolOptions options, MetricsRegistry* metrics = nullptr);
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;
    ~WorkerPool();  // stop(true)

    void start();
    // Stops leasing and joins the threads. hand_back: stop running renders and queue their jobs again;
    // otherwise running jobs are finished first. Idempotent.
    void stop(bool hand_back);

    WorkerFigures figures() const;

  private:
    struct Metrics;
    void run_thread(int index);
    void idle_wait(std::uint64_t generation);
    void record(const JobReport& report);

    WorkerServices services_;
    PoolOptions options_;
    std::unique_ptr<Metrics> metrics_;
    std::atomic<bool> stopping_{false};  // no more leases
    std::atomic<bool> shutdown_{false};  // running renders stop and hand their jobs back
    std::atomic<int> busy_{0};
    mutable std::mutex mutex_;  // guards the figures below
    std::int64_t finished_ = 0, rendered_ = 0, cached_ = 0;
    std::deque<std::chrono::steady_clock::time_point> recent_;  // finish times within the last minute
    std::vector<std::jthread> threads_;
};

}  // namespace vidgen::worker
