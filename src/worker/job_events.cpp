#include "worker/job_events.hpp"

#include "queue/cache_tags.hpp"
#include "queue/job_json.hpp"

namespace vidgen::worker {
namespace {

constexpr double kProgressStep = 0.01;
constexpr auto kProgressInterval = std::chrono::milliseconds(200);

}  // namespace

void publish_job(const WorkerServices& services, const WorkerOptions& options, std::string_view type,
                 const store::Job& job, const std::vector<store::Output>& outputs) {
    if (!job.parent_id.empty()) return;  // a segment is the worker's own business
    if (services.responses) {
        (void)services.responses->invalidate_tag(queue::job_tag(job.id));
        (void)services.responses->invalidate_tag(queue::jobs_tag(job.tenant_id));
    }
    if (!services.events) return;
    services.events->publish({.tenant_id = job.tenant_id,
                              .job_id = job.id,
                              .batch_id = job.batch_id,
                              .type = std::string(type),
                              .status = store::job_status_name(job.status),
                              .progress = job.progress,
                              .data_json = queue::job_json(job, outputs, options.media_url_prefix),
                              .time = services.queue.now()});
}

void publish_stored_job(const WorkerServices& services, const WorkerOptions& options, std::string_view type,
                        const store::Job& job) {
    auto stored = services.store.get_job(job.tenant_id, job.id);
    if (!stored) return;
    auto outputs = services.store.list_outputs(job.tenant_id, job.id);
    publish_job(services, options, type, *stored, outputs ? *outputs : std::vector<store::Output>{});
}

ProgressEvents::ProgressEvents(const WorkerServices& services, const WorkerOptions& options, store::Job job)
    : services_(services), options_(options), job_(std::move(job)) {}

void ProgressEvents::update(double progress) {
    std::lock_guard lock(mutex_);  // held while publishing, so events leave in order
    auto now = std::chrono::steady_clock::now();
    if (progress - job_.progress < kProgressStep || now - last_time_ < kProgressInterval) return;
    job_.progress = progress;
    last_time_ = now;
    publish_job(services_, options_, "progress", job_);
}

}  // namespace vidgen::worker
