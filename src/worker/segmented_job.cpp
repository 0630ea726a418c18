#include "worker/segmented_job.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "queue/lease_heartbeat.hpp"

namespace vidgen::worker {
namespace {

// How often a parent looks at its segments while other workers render them.
constexpr auto kPollInterval = std::chrono::milliseconds(200);
constexpr int kMaxSegments = 10'000;

bool finished(store::JobStatus status) {
    return status == store::JobStatus::done || status == store::JobStatus::failed ||
           status == store::JobStatus::canceled;
}

}  // namespace

Result<store::Output> render_segment_output(const WorkerServices& services, const store::Job& segment,
                                            const render::PlanHandle& plan,
                                            const std::filesystem::path& scratch,
                                            const render::RenderOptions& options) {
    render::FrameSpan span{long(segment.segment_first), long(segment.segment_frames)};
    if (span.first < 0 || span.count <= 0 || span.first + span.count > plan.frame_count) {
        return fail(Code::internal, fmt::format("segment frames {}..{} are outside the video's {}",
                                                span.first, span.first + span.count, plan.frame_count));
    }
    auto file = scratch / fmt::format("segment-{}.runs", span.first);
    auto stats = render::render_segment(plan, span, file, options, segment.id);
    if (!stats) return std::unexpected(stats.error());
    auto blob = services.blobs.put_file(file, kSegmentType, blob::PutMode::move);
    if (!blob) return std::unexpected(blob.error());
    return store::Output{.job_id = segment.id,
                         .content_key = blob->key,
                         .size = std::int64_t(blob->size),
                         .duration = plan.duration * double(span.count) / double(plan.frame_count),
                         .format = "segment"};
}

std::vector<render::FrameSpan> spans_for(const WorkerOptions& options, const render::PlanHandle& plan) {
    if (options.segment_threshold <= 0 || plan.duration <= options.segment_threshold) return {};
    return render::segment_spans(plan, options.segment_seconds);
}

SegmentedRender::SegmentedRender(const WorkerServices& services, const store::Job& parent,
                                 const render::PlanHandle& plan, std::filesystem::path scratch,
                                 render::RenderOptions options, Hooks hooks)
    : services_(services),
      parent_(parent),
      plan_(plan),
      scratch_(std::move(scratch)),
      options_(std::move(options)),
      hooks_(std::move(hooks)) {}

Result<JoinedRender> SegmentedRender::run(const std::vector<render::FrameSpan>& spans) {
    if (auto inserted = insert_segments(spans); !inserted) return std::unexpected(inserted.error());
    for (;;) {
        auto segments = this->segments();
        if (!segments) return std::unexpected(segments.error());
        if (hooks_.stop_requested()) {
            if (hooks_.parent_canceled()) cancel_segments(*segments);
            return fail(Code::canceled, "stopped while rendering segments");
        }
        bool all_done = true;
        for (const store::Job& segment : *segments) {
            if (segment.status == store::JobStatus::failed || segment.status == store::JobStatus::canceled) {
                return fail(Code::internal,
                            fmt::format("the segment from frame {} {}: {}", segment.segment_first,
                                        store::job_status_name(segment.status), segment.error));
            }
            all_done = all_done && segment.status == store::JobStatus::done;
        }
        if (all_done) return join(*segments);
        auto rendered = render_one_here(*segments);
        if (!rendered) return std::unexpected(rendered.error());
        if (*rendered) continue;
        report(*segments);
        std::this_thread::sleep_for(kPollInterval);
    }
}

// One queued segment job per span, keyed by the parent and the span's index: a second attempt of the
// parent gets the first attempt's segments back, which must be the same spans.
Result<void> SegmentedRender::insert_segments(const std::vector<render::FrameSpan>& spans) {
    if (spans.size() > std::size_t(kMaxSegments)) return fail(Code::limit_exceeded, "too many segments");
    std::vector<store::Job> jobs;
    const store::TimeMs now = services_.queue.now();
    for (std::size_t i = 0; i < spans.size(); ++i) {
        store::Job segment{.tenant_id = parent_.tenant_id,
                           .template_id = parent_.template_id,
                           .template_version = parent_.template_version,
                           .spec_json = parent_.spec_json,
                           .data_json = parent_.data_json,
                           .priority = parent_.priority,
                           .idempotency_key = fmt::format("{}:segment:{}", parent_.id, i),
                           .parent_id = parent_.id,
                           .segment_first = spans[i].first,
                           .segment_frames = spans[i].count,
                           .created = now,
                           .updated = now};
        jobs.push_back(std::move(segment));
    }
    auto inserted = services_.store.insert_jobs(std::move(jobs));
    if (!inserted) return std::unexpected(inserted.error());
    services_.queue.notify_work();
    for (std::size_t i = 0; i < spans.size(); ++i) {
        const store::Job& segment = (*inserted)[i].job;
        if (segment.segment_first != spans[i].first || segment.segment_frames != spans[i].count)
            return fail(Code::internal, "the job's earlier segments cover other frames");
    }
    return {};
}

Result<std::vector<store::Job>> SegmentedRender::segments() {
    auto page = services_.store.list_jobs(
        {.tenant_id = parent_.tenant_id, .parent_id = parent_.id, .limit = kMaxSegments});
    if (!page) return std::unexpected(page.error());
    std::ranges::sort(page->jobs, {}, &store::Job::segment_first);
    return std::move(page->jobs);
}

// Leases the first queued segment and renders it here; false when every segment is taken.
Result<bool> SegmentedRender::render_one_here(const std::vector<store::Job>& segments) {
    for (const store::Job& segment : segments) {
        if (segment.status != store::JobStatus::queued) continue;
        auto leased = services_.queue.lease_job(parent_.lease_owner, segment.id);
        if (!leased) return std::unexpected(leased.error());
        if (!*leased) continue;
        long others = 0;
        for (const store::Job& other : segments)
            if (other.id != segment.id && other.status == store::JobStatus::done)
                others += other.segment_frames;
        render_leased(**leased, others);
        return true;
    }
    return false;
}

// Renders a segment leased here and completes it; a failure is recorded on the segment (retried there,
// or failing the parent when final). A segment whose parent is stopping goes back to the queue.
void SegmentedRender::render_leased(const store::Job& segment, long frames_before) {
    queue::LeaseHeartbeat beat(services_.queue, segment);
    render::RenderOptions options = options_;
    cancel_.store(false);
    options.cancel = &cancel_;
    options.on_progress = [&](const render::Progress& p) {
        if (hooks_.stop_requested() || beat.stop_flag().load()) cancel_.store(true);
        if (p.frames_total > 0) beat.set_progress(double(p.frames_done) / double(p.frames_total));
        hooks_.on_progress(frames_before + p.frames_done, plan_.frame_count);
    };
    auto output = render_segment_output(services_, segment, plan_, scratch_, options);
    beat.stop();
    if (beat.canceled() || beat.lost()) return;
    const store::Lease lease = store::lease_of(segment);
    if (!output && output.error().code == Code::canceled) {
        (void)services_.queue.hand_back(lease);
    } else if (!output) {
        (void)services_.queue.fail(lease, output.error().to_string(), retry_for(output.error()));
    } else {
        (void)services_.queue.complete(lease, {*output});
    }
}

Result<JoinedRender> SegmentedRender::join(const std::vector<store::Job>& segments) {
    JoinedRender joined;
    std::vector<std::filesystem::path> files;
    std::vector<blob::OpenBlob> held;  // open while reading: the files stay even if removed meanwhile
    for (const store::Job& segment : segments) {
        auto outputs = services_.store.list_outputs(parent_.tenant_id, segment.id);
        if (!outputs) return std::unexpected(outputs.error());
        auto it = std::ranges::find(*outputs, std::string("segment"), &store::Output::format);
        if (it == outputs->end()) return fail(Code::internal, "a done segment has no segment file");
        auto blob = services_.blobs.open(it->content_key);
        if (!blob) return std::unexpected(blob.error());
        if (blob->path.empty()) return fail(Code::unsupported, "the media store has no local files");
        files.push_back(blob->path);
        joined.segment_blobs.push_back(it->content_key);
        held.push_back(std::move(*blob));
    }
    joined.file = scratch_ / "joined.partial.mp4";
    if (auto ok = render::join_segments(plan_, files, joined.file, options_); !ok)
        return std::unexpected(ok.error());
    hooks_.on_progress(plan_.frame_count, plan_.frame_count);
    return joined;
}

void SegmentedRender::report(const std::vector<store::Job>& segments) {
    double done = 0;
    for (const store::Job& segment : segments) {
        if (segment.status == store::JobStatus::done) done += double(segment.segment_frames);
        if (segment.status == store::JobStatus::rendering)
            done += segment.progress * double(segment.segment_frames);
    }
    hooks_.on_progress(long(done), plan_.frame_count);
}

void SegmentedRender::cancel_segments(const std::vector<store::Job>& segments) {
    for (const store::Job& segment : segments)
        if (!finished(segment.status)) (void)services_.queue.cancel(parent_.tenant_id, segment.id);
}

}  // namespace vidgen::worker
