#include "worker/worker_pool.hpp"

#include <fmt/format.h>

#include "core/log.hpp"
#include "queue/lease_heartbeat.hpp"

namespace vidgen::worker {
namespace {

using Steady = std::chrono::steady_clock;
constexpr auto kMinute = std::chrono::minutes(1);
constexpr auto kStopCheck = std::chrono::milliseconds(100);

std::vector<double> render_buckets() {
    return {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800};
}

bool ended_here(JobOutcome outcome) {
    return outcome != JobOutcome::retried && outcome != JobOutcome::lost &&
           outcome != JobOutcome::handed_back;
}

void drop_older_than_a_minute(std::deque<Steady::time_point>& times, Steady::time_point now) {
    while (!times.empty() && now - times.front() > kMinute) times.pop_front();
}

// While `job` runs, a cancel announced on the event bus (by this node's API or, through Redis, another's)
// makes its heartbeat look at the store at once instead of at its next periodic check. For a segment,
// its parent's cancel counts too: canceling a parent cancels its segments without events of their own.
std::unique_ptr<queue::Subscription> watch_for_cancel(queue::EventBus* events, const store::Job& job) {
    if (!events) return nullptr;
    const std::string_view own = job.parent_id.empty() ? std::string_view(job.id) : std::string_view();
    return events->subscribe(job.tenant_id, own, [id = job.id, parent = job.parent_id](const auto& event) {
        if (event.type != "canceled" || (event.job_id != id && event.job_id != parent)) return;
        queue::LeaseHeartbeat::check_now(id);
    });
}

}  // namespace

struct WorkerPool::Metrics {
    explicit Metrics(MetricsRegistry& registry)
        : finished(registry.counter("vidgen_jobs_finished_total", "Jobs a worker finished, by outcome",
                                    {"outcome"})),
          duration(registry
                       .histogram("vidgen_render_duration_seconds", "Wall time of a job's render", {},
                                  render_buckets())
                       .with(LabelValues{})),
          fps(registry.gauge("vidgen_render_frames_per_second", "Frames per second of the last render")
                  .with(LabelValues{})),
          busy(registry.gauge("vidgen_workers_busy", "Workers running a job").with(LabelValues{})) {}

    Family<Counter>& finished;
    Histogram& duration;
    Gauge& fps;
    Gauge& busy;
};

WorkerPool::WorkerPool(WorkerServices services, PoolOptions options, MetricsRegistry* metrics)
    : services_(services), options_(std::move(options)) {
    if (metrics) metrics_ = std::make_unique<Metrics>(*metrics);
}

WorkerPool::~WorkerPool() {
    stop(true);
}

void WorkerPool::start() {
    if (!threads_.empty()) return;
    stopping_ = false;
    shutdown_ = false;
    for (int i = 0; i < options_.threads; ++i) threads_.emplace_back([this, i] { run_thread(i); });
}

void WorkerPool::stop(bool hand_back) {
    if (hand_back) shutdown_ = true;
    stopping_ = true;
    threads_.clear();  // joins
}

void WorkerPool::run_thread(int index) {
    const std::string worker = fmt::format("{}-{}", options_.worker_id, index);
    while (!stopping_.load()) {
        const auto generation = services_.queue.work_generation();
        auto leased = services_.queue.lease(worker);
        if (!leased) spdlog::error("worker {}: cannot lease: {}", worker, leased.error().to_string());
        if (!leased || !*leased) {
            idle_wait(generation);
            continue;
        }
        services_.queue.notify_work();  // another idle worker looks for the next job
        busy_.fetch_add(1);
        if (metrics_) metrics_->busy.add(1);
        auto cancels = watch_for_cancel(services_.events, **leased);
        auto report = run_job(services_, options_.job, **leased, shutdown_);
        cancels.reset();
        busy_.fetch_sub(1);
        if (metrics_) metrics_->busy.add(-1);
        if (report.outcome == JobOutcome::lost)
            spdlog::warn("worker {}: job {}: {}", worker, (*leased)->id, report.error);
        record(report);
    }
}

// Waits for work signalled since `generation` up to idle_poll, in short slices so that stop() is noticed
// quickly.
void WorkerPool::idle_wait(std::uint64_t generation) {
    for (auto waited = Steady::duration::zero(); waited < options_.idle_poll; waited += kStopCheck) {
        if (stopping_.load() || services_.queue.wait_for_work(kStopCheck, generation)) return;
    }
}

void WorkerPool::record(const JobReport& report) {
    if (metrics_) {
        metrics_->finished.with({outcome_name(report.outcome)}).add();
        if (report.outcome == JobOutcome::done) {
            metrics_->duration.observe(report.render_seconds);
            if (report.render_seconds > 0) metrics_->fps.set(double(report.frames) / report.render_seconds);
        }
    }
    if (!ended_here(report.outcome)) return;
    std::lock_guard lock(mutex_);
    ++finished_;
    if (report.outcome == JobOutcome::done) ++rendered_;
    if (report.outcome == JobOutcome::cached) ++cached_;
    auto now = Steady::now();
    recent_.push_back(now);
    drop_older_than_a_minute(recent_, now);
}

WorkerFigures WorkerPool::figures() const {
    std::lock_guard lock(mutex_);
    auto recent = recent_;
    drop_older_than_a_minute(recent, Steady::now());
    return {.total = options_.threads,
            .busy = busy_.load(),
            .finished = finished_,
            .rendered = rendered_,
            .cached = cached_,
            .jobs_per_minute = double(recent.size())};
}

}  // namespace vidgen::worker
