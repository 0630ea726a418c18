#include "render/render.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "media/image.hpp"
#include "render/batch.hpp"
#include "render/encoder_settings.hpp"
#include "render/pipeline.hpp"
#include "render/plan.hpp"
#include "render/still.hpp"

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

// Up to this length an mp4 is encoded as runs kept in memory and joined at the end, so that pictures that
// stay still cost one keyframe; longer outputs stream through one encoder.
constexpr double kMaxRunSeconds = 300;

Result<RenderStats> render_as_runs(const PlanHandle& handle, const std::filesystem::path& out,
                                   const RenderOptions& options) {
    BatchRenderer batch(options);
    BatchRow row{handle, out};
    auto stats = batch.render(std::span(&row, 1));
    if (!stats) return std::unexpected(stats.error());
    return RenderStats{stats->frames, stats->seconds, stats->frames - stats->frames_encoded};
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
    if (plan.spec.output.format == spec::Format::mp4 && plan.duration <= kMaxRunSeconds) {
        return render_as_runs(handle, out, options);
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
    auto canvas = compose_at(*handle.plan, seconds);
    if (!canvas) return std::unexpected(canvas.error());
    return media::save_image(*canvas, out);
}

}  // namespace vidgen::render
