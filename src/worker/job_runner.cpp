#include "worker/job_runner.hpp"

#include <fmt/format.h>

#include <chrono>
#include <optional>

#include "core/scratch_dir.hpp"
#include "queue/lease_heartbeat.hpp"
#include "render/render.hpp"
#include "worker/job_events.hpp"
#include "worker/job_sources.hpp"
#include "worker/job_spec.hpp"
#include "worker/render_key.hpp"
#include "worker/segmented_job.hpp"

namespace vidgen::worker {
namespace {

struct FormatInfo {
    const char* extension;
    const char* content_type;
};

FormatInfo format_info(spec::Format format) {
    switch (format) {
        case spec::Format::webm:
            return {"webm", "video/webm"};
        case spec::Format::gif:
            return {"gif", "image/gif"};
        case spec::Format::png:
            return {"png", "image/png"};
        case spec::Format::mp4:
            break;
    }
    return {"mp4", "video/mp4"};
}

struct Produced {
    std::vector<store::Output> outputs;
    bool cached = false;
    long frames = 0;
    double seconds = 0;
    std::vector<std::string> segment_blobs;  // removed once the job is complete
};

class JobRun {
  public:
    JobRun(const WorkerServices& services, const WorkerOptions& options, const store::Job& leased,
           const std::atomic<bool>& shutdown)
        : services_(services),
          options_(options),
          job_(leased),
          shutdown_(shutdown),
          progress_(services, options, leased) {}

    JobReport run();

  private:
    Result<Produced> produce();
    Result<std::optional<std::vector<store::Output>>> cached_outputs(const std::string& key);
    Result<Produced> render(const JobSpec& job_spec, const JobSources& sources, const ScratchDir& scratch);
    Result<Produced> render_segment(const render::PlanHandle& plan, const ScratchDir& scratch,
                                    const render::RenderOptions& render_options);
    Result<Produced> render_whole(const JobSpec& job_spec, const render::PlanHandle& plan,
                                  const ScratchDir& scratch, const render::RenderOptions& render_options);
    void on_progress(const render::Progress& progress);
    bool stop_requested() const { return shutdown_.load() || heartbeat_->stop_flag().load(); }
    JobReport complete(const Produced& produced);
    JobReport stopped();
    JobReport failed(const Error& error);
    JobReport lease_error(const Error& error);

    const WorkerServices& services_;
    const WorkerOptions& options_;
    store::Job job_;
    const std::atomic<bool>& shutdown_;
    ProgressEvents progress_;
    std::optional<queue::LeaseHeartbeat> heartbeat_;
    std::atomic<bool> cancel_{false};  // the render's cancel flag, raised from stop_requested()
};

JobReport JobRun::run() {
    publish_job(services_, options_, "rendering", job_);
    heartbeat_.emplace(services_.queue, job_);
    auto produced = produce();
    heartbeat_->stop();
    if (heartbeat_->canceled() || heartbeat_->lost()) return stopped();
    if (!produced && produced.error().code == Code::canceled && shutdown_.load()) return stopped();
    if (!produced) return failed(produced.error());
    return complete(*produced);
}

Result<Produced> JobRun::produce() {
    auto job_spec = load_job_spec(services_.store, job_, options_.spec_limits);
    if (!job_spec) return std::unexpected(job_spec.error());
    auto scratch = ScratchDir::create_in(options_.scratch_root, "vidgen-job");
    if (!scratch) return std::unexpected(scratch.error());
    JobSources sources(services_.store, services_.blobs, job_.tenant_id);
    if (auto ready = sources.prepare(job_spec->spec, scratch->path(), options_.input); !ready)
        return std::unexpected(ready.error());
    if (!job_.parent_id.empty()) return render(*job_spec, sources, *scratch);  // a segment: never cached
    auto key = render_key(job_spec->merged, sources.content_hashes());
    if (auto saved = services_.store.set_render_key(store::lease_of(job_), key); !saved)
        return std::unexpected(saved.error());
    auto cached = cached_outputs(key);
    if (!cached) return std::unexpected(cached.error());
    if (*cached) return Produced{.outputs = std::move(**cached), .cached = true};
    return render(*job_spec, sources, *scratch);
}

// The outputs of the tenant's latest done job with this key, when every one of their blobs still exists.
Result<std::optional<std::vector<store::Output>>> JobRun::cached_outputs(const std::string& key) {
    auto outputs = services_.store.find_rendered(job_.tenant_id, key);
    if (!outputs) return std::unexpected(outputs.error());
    if (outputs->empty()) return std::nullopt;
    for (auto& output : *outputs) {
        if (!services_.blobs.stat(output.content_key)) return std::nullopt;
        output.job_id = job_.id;
    }
    return std::move(*outputs);
}

Result<Produced> JobRun::render(const JobSpec& job_spec, const JobSources& sources,
                                const ScratchDir& scratch) {
    render::RenderOptions render_options{.base_dir = scratch.path(),
                                         .fetch_dir = scratch.path(),
                                         .input = options_.input,
                                         .threads = options_.render_threads,
                                         .on_progress = [this](const auto& p) { on_progress(p); },
                                         .cancel = &cancel_};
    render_options.resolve_asset = [&sources](std::string_view id) { return sources.asset_path(id); };
    auto plan = render::plan(job_spec.spec, render_options);
    if (!plan) return std::unexpected(plan.error());
    if (stop_requested()) return fail(Code::canceled, "stopped before rendering");
    if (!job_.parent_id.empty()) return render_segment(*plan, scratch, render_options);
    return render_whole(job_spec, *plan, scratch, render_options);
}

Result<Produced> JobRun::render_segment(const render::PlanHandle& plan, const ScratchDir& scratch,
                                        const render::RenderOptions& render_options) {
    auto started = std::chrono::steady_clock::now();
    auto output = render_segment_output(services_, job_, plan, scratch.path(), render_options);
    if (!output) return std::unexpected(output.error());
    return Produced{
        .outputs = {std::move(*output)},
        .frames = long(job_.segment_frames),
        .seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()};
}

// The whole output, rendered here or, when long, in segments that other workers may share.
Result<Produced> JobRun::render_whole(const JobSpec& job_spec, const render::PlanHandle& plan,
                                      const ScratchDir& scratch,
                                      const render::RenderOptions& render_options) {
    auto format = format_info(job_spec.spec.output.format);
    auto out = scratch.path() / fmt::format("out.partial.{}", format.extension);
    Produced produced;
    auto started = std::chrono::steady_clock::now();
    if (auto spans = spans_for(options_, plan); !spans.empty()) {
        SegmentedRender segmented(services_, job_, plan, scratch.path(), render_options,
                                  {.stop_requested = [this] { return stop_requested(); },
                                   .parent_canceled = [this] { return heartbeat_->canceled(); },
                                   .on_progress =
                                       [this](long done, long total) {
                                           on_progress({done, total});
                                       }});
        auto joined = segmented.run(spans);
        if (!joined) return std::unexpected(joined.error());
        out = joined->file;
        produced.segment_blobs = std::move(joined->segment_blobs);
        produced.frames = plan.frame_count;
    } else {
        auto stats = render::render(plan, out, render_options);
        if (!stats) return std::unexpected(stats.error());
        produced.frames = stats->frames;
    }
    produced.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    auto blob = services_.blobs.put_file(out, format.content_type, blob::PutMode::move);
    if (!blob) return std::unexpected(blob.error());
    produced.outputs.push_back({.job_id = job_.id,
                                .content_key = blob->key,
                                .size = std::int64_t(blob->size),
                                .duration = plan.duration,
                                .format = format.extension});
    return produced;
}

void JobRun::on_progress(const render::Progress& progress) {
    if (stop_requested()) cancel_.store(true);
    if (progress.frames_total <= 0) return;
    double fraction = double(progress.frames_done) / double(progress.frames_total);
    heartbeat_->set_progress(fraction);
    progress_.update(fraction);
}

JobReport JobRun::complete(const Produced& produced) {
    if (auto done = services_.queue.complete(store::lease_of(job_), produced.outputs); !done)
        return lease_error(done.error());
    for (const auto& key : produced.segment_blobs) (void)services_.blobs.remove(key);
    publish_stored_job(services_, options_, "done", job_);
    return {.outcome = produced.cached ? JobOutcome::cached : JobOutcome::done,
            .frames = produced.frames,
            .render_seconds = produced.seconds};
}

JobReport JobRun::stopped() {
    if (heartbeat_->canceled()) return lease_error(Error{Code::canceled, "canceled"});
    if (heartbeat_->lost()) return lease_error(Error{Code::not_found, "lease lost"});
    if (auto back = services_.queue.hand_back(store::lease_of(job_)); !back) return lease_error(back.error());
    publish_stored_job(services_, options_, "queued", job_);
    return {.outcome = JobOutcome::handed_back};
}

JobReport JobRun::failed(const Error& error) {
    auto message = error.to_string();
    auto outcome = services_.queue.fail(store::lease_of(job_), message, retry_for(error));
    if (!outcome) return lease_error(outcome.error());
    publish_stored_job(services_, options_, outcome->requeued ? "queued" : "failed", job_);
    return {.outcome = outcome->requeued ? JobOutcome::retried : JobOutcome::failed, .error = message};
}

// A lease-checked call refused: canceled meanwhile (published), or the lease went to another worker.
JobReport JobRun::lease_error(const Error& error) {
    if (error.code == Code::canceled) {
        publish_stored_job(services_, options_, "canceled", job_);
        return {.outcome = JobOutcome::canceled, .error = error.message};
    }
    return {.outcome = JobOutcome::lost, .error = error.to_string()};
}

}  // namespace

queue::Retry retry_for(const Error& error) {
    bool transient = error.code == Code::io || error.code == Code::internal;
    return transient ? queue::Retry::allowed : queue::Retry::never;
}

const char* outcome_name(JobOutcome outcome) {
    switch (outcome) {
        case JobOutcome::done:
            return "done";
        case JobOutcome::cached:
            return "cached";
        case JobOutcome::retried:
            return "retried";
        case JobOutcome::failed:
            return "failed";
        case JobOutcome::canceled:
            return "canceled";
        case JobOutcome::lost:
            return "lost";
        case JobOutcome::handed_back:
            return "handed_back";
    }
    return "failed";
}

JobReport run_job(const WorkerServices& services, const WorkerOptions& options, const store::Job& leased,
                  const std::atomic<bool>& shutdown) {
    return JobRun(services, options, leased, shutdown).run();
}

}  // namespace vidgen::worker
