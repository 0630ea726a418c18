#include "queue/job_queue.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <thread>

namespace vidgen::queue {

namespace {

store::TimeMs system_now() {
    auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
    return std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count();
}

UnitRandom seeded_random() {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
    return [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
}

store::TimeMs to_ms(double seconds) {
    return static_cast<store::TimeMs>(std::llround(seconds * 1000));
}

// Runs `call` again while the store is unreachable (Code::io: a database restarting), with a backoff of
// 50 ms growing to 250 ms, for at most `patience`. What a worker reports about its leased job is worth the
// wait, and repeating it is safe: the store refuses it once the lease is no longer held.
template <typename Call>
auto while_unreachable(std::chrono::milliseconds patience, Call&& call) -> decltype(call()) {
    const auto give_up = std::chrono::steady_clock::now() + patience;
    auto backoff = std::chrono::milliseconds(50);
    for (;;) {
        auto result = call();
        if (result || result.error().code != Code::io || std::chrono::steady_clock::now() + backoff > give_up)
            return result;
        std::this_thread::sleep_for(backoff);
        backoff = std::min(backoff * 2, std::chrono::milliseconds(250));
    }
}

// A job as it enters the queue: queued, never leased, created at `now`.
void reset_for_queue(store::Job& job, store::TimeMs now) {
    job.status = store::JobStatus::queued;
    job.progress = 0;
    job.attempts = 0;
    job.lease_owner.clear();
    job.lease_expires = 0;
    job.error.clear();
    job.created = now;
    job.updated = now;
    job.started = 0;
    job.finished = 0;
}

}  // namespace

JobQueue::JobQueue(store::Store& store, QueueOptions options) : store_(store), options_(std::move(options)) {
    if (!options_.clock) options_.clock = system_now;
    if (!options_.random) options_.random = seeded_random();
}

Result<store::Inserted> JobQueue::enqueue(store::Job job) {
    reset_for_queue(job, now());
    auto inserted = store_.insert_job(std::move(job));
    if (inserted && inserted->created) signal_work();
    return inserted;
}

Result<store::Batch> JobQueue::enqueue_batch(store::Batch batch, std::vector<store::Job> jobs) {
    auto now = this->now();
    batch.created = now;
    for (auto& job : jobs) reset_for_queue(job, now);
    auto created = store_.create_batch(std::move(batch), std::move(jobs));
    if (created) signal_work(true);
    return created;
}

Result<store::Job> JobQueue::cancel(std::string_view tenant_id, std::string_view job_id) {
    return store_.cancel_job(tenant_id, job_id, now());
}

Result<std::optional<store::Job>> JobQueue::lease(std::string_view worker_id) {
    for (;;) {
        auto leased = store_.lease_next_job(worker_id, options_.lease_seconds, now());
        if (!leased || !leased->has_value()) return leased;
        auto exhausted = dead_letter_if_exhausted(**leased);
        if (!exhausted) return std::unexpected(exhausted.error());
        if (!*exhausted) return leased;
    }
}

Result<std::optional<store::Job>> JobQueue::lease_job(std::string_view worker_id, std::string_view job_id) {
    auto leased = store_.lease_job(job_id, worker_id, options_.lease_seconds, now());
    if (!leased || !leased->has_value()) return leased;
    auto exhausted = dead_letter_if_exhausted(**leased);
    if (!exhausted) return std::unexpected(exhausted.error());
    if (*exhausted) return std::optional<store::Job>();
    return leased;
}

// A job leased more often than max_attempts was abandoned by its earlier workers (their leases expired):
// it goes to `failed` instead of crashing yet another worker.
Result<bool> JobQueue::dead_letter_if_exhausted(const store::Job& job) {
    if (job.attempts <= options_.retry.max_attempts) return false;
    auto error = fmt::format("gave up after {} attempts: the lease expired", job.attempts - 1);
    if (!job.error.empty()) error += "; last error: " + job.error;
    auto failed = store_.fail_job(store::lease_of(job), error, now());
    if (!failed && failed.error().code != Code::canceled && failed.error().code != Code::not_found) {
        return std::unexpected(failed.error());
    }
    return true;
}

Result<void> JobQueue::extend(const store::Lease& lease, double progress) {
    return store_.heartbeat(lease, lease_expiry(), progress);
}

Result<void> JobQueue::check(const store::Job& leased) {
    auto job = store_.get_job(leased.tenant_id, leased.id);
    if (!job) return std::unexpected(job.error());
    if (job->status == store::JobStatus::canceled) {
        return vidgen::fail(Code::canceled, "job " + leased.id + " was canceled");
    }
    bool held = job->status == store::JobStatus::rendering && job->lease_owner == leased.lease_owner &&
                job->attempts == leased.attempts;
    if (!held) {
        return vidgen::fail(Code::not_found, fmt::format("job {}: lease of {} attempt {} is not held",
                                                         leased.id, leased.lease_owner, leased.attempts));
    }
    return {};
}

Result<void> JobQueue::complete(const store::Lease& lease, const std::vector<store::Output>& outputs) {
    return while_unreachable(patience(), [&] { return store_.complete_job(lease, outputs, now()); });
}

Result<FailOutcome> JobQueue::fail(const store::Lease& lease, std::string_view error, Retry retry) {
    auto now = this->now();
    if (retry == Retry::never || lease.attempt >= options_.retry.max_attempts) {
        auto failed = while_unreachable(patience(), [&] { return store_.fail_job(lease, error, now); });
        if (!failed) return std::unexpected(failed.error());
        return FailOutcome{};
    }
    double unit = 0;
    {
        std::lock_guard lock(mutex_);
        unit = options_.random();
    }
    auto not_before = now + to_ms(backoff_seconds(options_.retry, lease.attempt, unit));
    auto requeued = while_unreachable(
        patience(), [&] { return store_.requeue_with_backoff(lease, error, not_before, now); });
    if (!requeued) return std::unexpected(requeued.error());
    signal_work();
    return FailOutcome{.requeued = true, .not_before = not_before};
}

Result<void> JobQueue::hand_back(const store::Lease& lease) {
    auto released = while_unreachable(patience(), [&] { return store_.release_job(lease, now()); });
    if (!released) return released;
    signal_work();
    return {};
}

bool JobQueue::wait_for_work(std::chrono::milliseconds max_wait, std::optional<std::uint64_t> since) {
    std::unique_lock lock(mutex_);
    auto seen = since.value_or(work_generation_);
    return work_.wait_for(lock, max_wait, [&] { return work_generation_ != seen; });
}

std::uint64_t JobQueue::work_generation() {
    std::lock_guard lock(mutex_);
    return work_generation_;
}

std::chrono::milliseconds JobQueue::patience() const {
    return std::chrono::milliseconds(to_ms(options_.lease_seconds));
}

store::TimeMs JobQueue::lease_expiry() const {
    return now() + to_ms(options_.lease_seconds);
}

void JobQueue::signal_work(bool everyone) {
    {
        std::lock_guard lock(mutex_);
        ++work_generation_;
    }
    if (everyone) {
        work_.notify_all();
    } else {
        work_.notify_one();
    }
}

}  // namespace vidgen::queue
