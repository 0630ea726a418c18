#include "render/render.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "media/image.hpp"
#include "render/compose.hpp"
#include "render/encoder_settings.hpp"
#include "render/frame_state.hpp"
#include "render/pipeline.hpp"
#include "render/plan.hpp"
#include "render/video_sources.hpp"

namespace vidgen::render {
namespace {

// Warnings once each (a font substitution may be reported by both the font check and the layout).
std::vector<Error> unique_warnings(const std::vector<Error>& warnings) {
    std::vector<Error> out;
    for (const Error& w : warnings) {
        bool seen = std::any_of(out.begin(), out.end(), [&](const Error& o) {
            return o.message == w.message && o.pointer == w.pointer;
        });
        if (!seen) out.push_back(w);
    }
    return out;
}

Result<RenderStats> encode(const Plan& plan, const std::filesystem::path& partial,
                           const RenderOptions& options) {
    auto settings = encoder_settings(plan, partial, options.threads);
    auto encoder = media::Encoder::open(settings);
    if (!encoder) return std::unexpected(encoder.error());
    return run_pipeline(plan, **encoder, settings, options);
}

}  // namespace

Result<PlanHandle> plan(const spec::Spec& spec, const RenderOptions& options) {
    auto built = build_plan(spec, options);
    if (!built) return std::unexpected(built.error());
    PlanHandle handle;
    handle.plan = *built;
    handle.warnings = unique_warnings((*built)->warnings);
    handle.duration = (*built)->duration;
    handle.frame_count = (*built)->frames;
    return handle;
}

Result<RenderStats> render(const PlanHandle& handle, const std::filesystem::path& out,
                           const RenderOptions& options) {
    const Plan& plan = *handle.plan;
    if (plan.spec.output.format == spec::Format::png) {
        auto saved = render_frame(handle, plan.range_start, out);
        if (!saved) return std::unexpected(saved.error());
        return RenderStats{1, 0, 0};
    }
    std::filesystem::path partial = out;
    partial += ".partial";
    auto stats = encode(plan, partial, options);
    std::error_code ec;
    if (!stats) {
        std::filesystem::remove(partial, ec);
        return stats;
    }
    std::filesystem::rename(partial, out, ec);
    if (ec) {
        std::filesystem::remove(partial, ec);
        return fail(Code::io, fmt::format("cannot write {}: {}", out.string(), ec.message()));
    }
    return stats;
}

Result<void> render_frame(const PlanHandle& handle, double seconds, const std::filesystem::path& out) {
    const Plan& plan = *handle.plan;
    double last = std::max(0.0, plan.timeline_duration - 1e-6);
    FrameState state = sample_frame(plan, std::clamp(seconds, 0.0, last));
    VideoSources sources(plan);
    auto sources_now = sources.frames(state);
    if (!sources_now) return std::unexpected(sources_now.error());
    auto videos = convert_frames(*sources_now);
    if (!videos) return std::unexpected(videos.error());
    media::Bitmap canvas(plan.width(), plan.height());
    if (auto composed = compose(plan, state, frame_pointers(*videos), canvas); !composed) return composed;
    return media::save_image(canvas, out);
}

}  // namespace vidgen::render
