// LeaseHeartbeat: keeps one leased job's lease alive while a worker runs it. On its own thread it extends
// the lease every lease_seconds/3, and sooner when progress moved by progress_step (writing the latest
// progress), and otherwise checks for a cancel every cancel_check_seconds; when the job is canceled or the
// lease is lost (taken over by another worker) it stops and raises stop_flag(), which a render polls
// (render::RenderOptions::cancel). check_now(job_id) makes the heartbeats of a job look at once (a worker
// calls it when the event bus announces the job's cancel, so a cancel is not left waiting for the next
// check). Intervals are real time. Stop it (or destroy it) before complete() or fail(). set_progress(),
// check_now() and the getters are thread-safe; the JobQueue must outlive the heartbeat.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>

#include "core/error.hpp"
#include "queue/job_queue.hpp"

namespace vidgen::queue {

class LeaseHeartbeat {
  public:
    // Starts beating for `leased`, a job returned by queue.lease().
    LeaseHeartbeat(JobQueue& queue, store::Job leased);
    LeaseHeartbeat(const LeaseHeartbeat&) = delete;
    LeaseHeartbeat& operator=(const LeaseHeartbeat&) = delete;
    ~LeaseHeartbeat();

    // Progress 0..1, written with the next extension.
    void set_progress(double progress) { progress_.store(progress); }
    // Joins the thread; no store call happens after it returns. Idempotent.
    void stop();
    // Wakes every running heartbeat of `job_id` in this process to check the job now, rather than at its
    // next cancel check. Does nothing when none runs. Never blocks on the store.
    static void check_now(std::string_view job_id);

    bool canceled() const { return canceled_.load(); }
    bool lost() const { return lost_.load(); }
    // True once canceled() or lost(): the worker should stop and neither complete nor fail the job.
    const std::atomic<bool>& stop_flag() const { return stop_flag_; }
    int extensions() const { return extensions_.load(); }  // successful lease extensions so far
    // The last store error that was neither a cancel nor a loss (retried on the next beat), if any.
    std::optional<Error> last_error() const;
    const store::Lease& lease() const { return lease_; }

  private:
    void run(const std::stop_token& stop);
    bool extension_due(std::chrono::steady_clock::time_point next_extension) const;
    void beat(bool extend);
    void record(const Result<void>& result);
    void wake();

    JobQueue& queue_;
    store::Job leased_;
    store::Lease lease_;
    std::atomic<double> progress_{0};
    std::atomic<bool> canceled_{false};
    std::atomic<bool> lost_{false};
    std::atomic<bool> stop_flag_{false};
    std::atomic<int> extensions_{0};
    double written_progress_ = 0;  // heartbeat thread only
    mutable std::mutex mutex_;     // guards last_error_ and the wait
    std::condition_variable_any wake_;
    std::optional<Error> last_error_;
    bool check_requested_ = false;  // guarded by mutex_: check_now() asked for a look
    std::jthread thread_;           // last: starts after every member above exists
};

}  // namespace vidgen::queue
