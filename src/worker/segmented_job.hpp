// Segment-parallel rendering in the worker (render/segments.hpp does the media side). A job whose mp4 is
// longer than WorkerOptions::segment_threshold is split into spans: its worker inserts one queued segment
// job per span (parent_id and frames; idempotent per parent and index, so a worker that takes the parent
// over finds them), renders every segment no other worker has leased, waits for the others, then joins
// the segment files from the blob store with the audio encoded once. A segment job renders its span into
// a segment file in the blob store, its one output. Segments inherit the parent's priority; a parent that
// is canceled cancels its segments. One SegmentedRender per parent job run; not thread-safe.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "render/render.hpp"
#include "render/segments.hpp"
#include "worker/job_runner.hpp"

namespace vidgen::worker {

// The content type of segment files in the blob store.
inline constexpr const char* kSegmentType = "application/x-vidgen-segment";

// Renders `segment`'s span of `plan` into a segment file stored as a blob: the segment's output.
Result<store::Output> render_segment_output(const WorkerServices& services, const store::Job& segment,
                                            const render::PlanHandle& plan,
                                            const std::filesystem::path& scratch,
                                            const render::RenderOptions& options);

// The spans a job's plan is split into; empty when it renders in one piece.
std::vector<render::FrameSpan> spans_for(const WorkerOptions& options, const render::PlanHandle& plan);

struct JoinedRender {
    std::filesystem::path file;              // the finished mp4, in the scratch folder
    std::vector<std::string> segment_blobs;  // to remove once the parent job is complete
};

class SegmentedRender {
  public:
    struct Hooks {
        std::function<bool()> stop_requested;         // the parent's cancel, lost lease or shutdown
        std::function<bool()> parent_canceled;        // a user canceled the parent
        std::function<void(long, long)> on_progress;  // frames done of all frames, on this thread
    };
    SegmentedRender(const WorkerServices& services, const store::Job& parent, const render::PlanHandle& plan,
                    std::filesystem::path scratch, render::RenderOptions options, Hooks hooks);

    // Runs the segments to the end and joins them. Code::canceled when stopped.
    Result<JoinedRender> run(const std::vector<render::FrameSpan>& spans);

  private:
    Result<void> insert_segments(const std::vector<render::FrameSpan>& spans);
    Result<std::vector<store::Job>> segments();
    Result<bool> render_one_here(const std::vector<store::Job>& segments);
    void render_leased(const store::Job& segment, long frames_before);
    Result<JoinedRender> join(const std::vector<store::Job>& segments);
    void report(const std::vector<store::Job>& segments);
    void cancel_segments(const std::vector<store::Job>& segments);

    const WorkerServices& services_;
    const store::Job& parent_;
    const render::PlanHandle& plan_;
    std::filesystem::path scratch_;
    render::RenderOptions options_;
    Hooks hooks_;
    std::atomic<bool> cancel_{false};  // the render of a segment here: parent stopped or segment lost
};

}  // namespace vidgen::worker
