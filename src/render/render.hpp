// The renderer's public face: plan a spec once (resolve every source and font, work out `auto` times,
// which layers are static, warnings), then render the whole video or single frames from the plan.
// A Plan is immutable after planning; render() and render_frame() may run concurrently on one Plan.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "media/policy.hpp"
#include "spec/model.hpp"

namespace vidgen::render {

struct Progress {
    long frames_done = 0;
    long frames_total = 0;
    double elapsed_seconds = 0;
};

class RasterCache;  // decoded images by source and size; thread-safe

// A cache of decoded images that several plans may share (the rows of a batch group), so each image is
// decoded once per group rather than once per row. It holds every image until released.
std::shared_ptr<RasterCache> make_image_cache();

struct RenderOptions {
    std::filesystem::path base_dir = ".";  // relative sources and font files resolve against it
    std::filesystem::path fetch_dir;       // where https:// sources are downloaded (default: temp dir)
    media::InputLimits input{};
    int threads = 0;                                   // 0 = all cores
    std::function<void(const Progress&)> on_progress;  // called from the encoding thread, ~10×/s at most
    const std::atomic<bool>* cancel = nullptr;         // set to true to stop; render returns Code::canceled
    std::shared_ptr<RasterCache> shared_images;        // null: each plan decodes its own images
    // The local file of an "asset:ID" source (vidgen serve knows the tenant's assets); empty: asset ids
    // are refused. Called while planning, from several threads at once.
    std::function<Result<std::filesystem::path>(std::string_view id)> resolve_asset;
};

class Plan;  // defined in render/plan.hpp; opaque to callers

struct PlanHandle {
    std::shared_ptr<const Plan> plan;
    std::vector<Error> warnings;  // surprises that do not stop a render (font substituted, text overflow…)
    double duration = 0;          // seconds rendered (after output.range)
    long frame_count = 0;
};

// Resolves every source (probing media and images, laying out text, resolving fonts), so that rendering
// looks nothing up: a missing or unreadable source fails here. Images drawn in the first second are decoded
// here at their drawn size; later ones are decoded shortly before their clips while rendering, and dropped
// after them. Errors name the field (JSON Pointer) at fault.
Result<PlanHandle> plan(const spec::Spec& spec, const RenderOptions& options);

// JSON describing the resolved timeline: every clip's start/end, static or animated, warnings, frames.
std::string describe(const PlanHandle& plan);

struct RenderStats {
    long frames = 0;
    double seconds = 0;      // wall time
    long static_frames = 0;  // frames reused without compositing
};

// Renders the plan to `out` in the spec's output format (mp4, webm, gif; png = the first frame).
Result<RenderStats> render(const PlanHandle& plan, const std::filesystem::path& out,
                           const RenderOptions& options);

// Renders the frame showing at `seconds` to an image file (png, jpg or webp by extension).
Result<void> render_frame(const PlanHandle& plan, double seconds, const std::filesystem::path& out);

}  // namespace vidgen::render
