// JobQueue: the life of a render job on top of a store::Store — enqueue, lease (priority, then age;
// expired leases taken over), complete, fail with retry and exponential backoff until max_attempts, then
// `failed` with the last error (dead letter), and cancel. A lease is proven by store::Lease (job, worker,
// attempt): a worker that lost its lease can never complete, fail or extend the job. Time comes from an
// injected clock and jitter from an injected random source. All methods are thread-safe; the Store must
// outlive the queue. LeaseHeartbeat (lease_heartbeat.hpp) keeps a lease alive while a job runs.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "queue/retry_policy.hpp"
#include "store/store.hpp"

namespace vidgen::queue {

using Clock = std::function<store::TimeMs()>;  // now, in Unix milliseconds
using UnitRandom = std::function<double()>;    // uniform in [0, 1)

struct QueueOptions {
    double lease_seconds = 30;          // a lease not extended for this long may be taken over
    double cancel_check_seconds = 0.5;  // how often a LeaseHeartbeat looks for a cancel (real time)
    double progress_step = 0.05;        // a LeaseHeartbeat writes progress early once it moved this much
    RetryPolicy retry;
    Clock clock;        // empty: the system clock
    UnitRandom random;  // empty: a seeded Mersenne twister; called under the queue's lock
};

// Whether a failure may be retried: `never` for failures a retry cannot fix (an invalid spec).
enum class Retry { allowed, never };

struct FailOutcome {
    bool requeued = false;         // false: the job is `failed` for good
    store::TimeMs not_before = 0;  // when requeued: the earliest time it is leased again
};

class JobQueue {
  public:
    explicit JobQueue(store::Store& store, QueueOptions options = {});

    // Inserts a queued job created now (the store honours its idempotency key: an earlier job with the
    // same key is returned with created = false) and wakes one waiting worker. A `not_before` in the
    // future delays the job until then.
    Result<store::Inserted> enqueue(store::Job job);
    // A batch created now and its jobs, queued in one transaction (all or none); wakes the workers.
    Result<store::Batch> enqueue_batch(store::Batch batch, std::vector<store::Job> jobs);
    // Queued → canceled at once; a rendering job becomes canceled and its LeaseHeartbeat reports it within
    // cancel_check_seconds. A finished job is returned unchanged. Another tenant's job is not_found. The
    // segments of a segment-parallel job are canceled with it.
    Result<store::Job> cancel(std::string_view tenant_id, std::string_view job_id);

    // The next ready job, now rendering and owned by `worker_id` for lease_seconds, or nothing. A job
    // whose lease expired more often than max_attempts allows is moved to `failed` and skipped.
    Result<std::optional<store::Job>> lease(std::string_view worker_id);
    // The same for one job only, when it is queued and ready (a segment its parent's worker renders).
    Result<std::optional<store::Job>> lease_job(std::string_view worker_id, std::string_view job_id);
    // Pushes the lease expiry to now + lease_seconds and records progress (0..1). Fails with
    // Code::canceled when the job was canceled, Code::not_found when the lease is no longer held.
    Result<void> extend(const store::Lease& lease, double progress);
    // Reads the job without writing: the same errors as extend(), for a job leased as `leased`.
    Result<void> check(const store::Job& leased);
    // complete(), fail() and hand_back() retry while the store is unreachable (Code::io), for up to
    // lease_seconds of real time, so a database restart does not throw a finished render away.
    // Marks the job done with its outputs; refused (Code::not_found) when the lease was lost.
    Result<void> complete(const store::Lease& lease, const std::vector<store::Output>& outputs);
    // Records a failed attempt: requeued after a backoff while attempts remain and `retry` allows it,
    // else `failed` with `error` as the final error.
    Result<FailOutcome> fail(const store::Lease& lease, std::string_view error, Retry retry = Retry::allowed);
    // Returns a leased job to the queue, ready at once, without spending one of its attempts (a worker
    // shutting down hands its running jobs back); wakes one waiting worker. The lease errors of extend().
    Result<void> hand_back(const store::Lease& lease);

    // Blocks until a job is enqueued or requeued through this queue (true) or `max_wait` passes (false).
    // A hint only: lease() decides; backoffs and other processes' jobs are seen by polling with a bounded
    // wait. With `since` (a work_generation() read before an empty lease), work signalled after that read
    // returns at once, so a wake-up between the lease and the wait is not lost.
    bool wait_for_work(std::chrono::milliseconds max_wait, std::optional<std::uint64_t> since = std::nullopt);
    std::uint64_t work_generation();
    // Wakes one waiter: work may have been queued by another process (see StoreWakeups). A worker that
    // leased a job calls it too, passing the turn on, so a burst of jobs wakes idle workers one after
    // another (each looks while there is work) instead of every idle worker racing for each job.
    void notify_work() { signal_work(false); }

    store::TimeMs now() const { return options_.clock(); }
    const QueueOptions& options() const { return options_; }

  private:
    store::TimeMs lease_expiry() const;
    std::chrono::milliseconds patience() const;  // how long a lease holder's report waits for the store
    Result<bool> dead_letter_if_exhausted(const store::Job& job);
    void signal_work(bool everyone = false);

    store::Store& store_;
    QueueOptions options_;
    std::mutex mutex_;  // guards options_.random and work_generation_
    std::condition_variable work_;
    std::uint64_t work_generation_ = 0;
};

}  // namespace vidgen::queue
