#include <boost/json.hpp>

#include <cmath>
#include <cstdint>

#include "core/error.hpp"
#include "core/json_text.hpp"
#include "render/batch_segments.hpp"
#include "render/plan.hpp"
#include "render/render.hpp"

namespace vidgen::render {
namespace {

// A number for people to read: whole numbers as integers, others rounded to a millionth.
boost::json::value number(double v) {
    double rounded = std::round(v * 1e6) / 1e6;
    if (rounded == std::round(rounded) && std::abs(rounded) < 1e15)
        return static_cast<std::int64_t>(std::llround(rounded));
    return rounded;
}

boost::json::object clip_json(const PlannedClip& pc) {
    boost::json::object o;
    o["pointer"] = pc.clip->pointer;
    o["kind"] = kind_name(pc.kind);
    o["start"] = number(pc.start);
    o["end"] = number(pc.end);
    o["static"] = !pc.animated;
    if (!pc.source.empty()) o["source"] = pc.source.string();
    if (pc.kind != ClipKind::audio) o["box"] = {{"width", number(pc.box_w)}, {"height", number(pc.box_h)}};
    return o;
}

boost::json::array tracks_json(const Plan& plan) {
    boost::json::array tracks(plan.spec.timeline.tracks.size());
    for (auto& t : tracks) t = boost::json::object{{"clips", boost::json::array{}}};
    for (const PlannedClip& pc : plan.clips)
        tracks[pc.track].as_object()["clips"].as_array().push_back(clip_json(pc));
    return tracks;
}

boost::json::array warnings_json(const std::vector<Error>& warnings) {
    boost::json::array out;
    for (const Error& w : warnings)
        out.push_back({{"code", code_name(w.code)}, {"message", w.message}, {"pointer", w.pointer}});
    return out;
}

// Seconds of work per frame on a 2-core machine at 1080p, measured with bench/render (docs/BENCHMARKS.md):
// a frame that must be composited and encoded, a frame of a still stretch, and decoding a video source.
constexpr double kMovingFrameSeconds = 0.013;
constexpr double kStillFrameSeconds = 0.0002;
constexpr double kVideoFrameSeconds = 0.002;

// What rendering will cost: frames that change, frames that stay still, and a rough time for this machine.
boost::json::object work_json(const Plan& plan) {
    auto signatures = content_signatures(plan);
    long moving = 0, still = 0, video = 0;
    for (const Segment& piece :
         split_still({0, plan.frames, false, false}, signatures, std::lround(0.5 * plan.fps()))) {
        (piece.still ? still : moving) += piece.count;
    }
    for (const PlannedClip& pc : plan.clips)
        if (pc.kind == ClipKind::video) video += std::lround((pc.end - pc.start) * plan.fps());
    double scale = double(plan.width()) * plan.height() / (1920.0 * 1080.0);
    double seconds = (moving * kMovingFrameSeconds + still * kStillFrameSeconds) * scale +
                     double(video) * kVideoFrameSeconds;
    return {{"moving_frames", moving},
            {"still_frames", still},
            {"estimated_seconds", number(std::round(seconds * 10) / 10)}};
}

}  // namespace

std::string describe(const PlanHandle& handle) {
    const Plan& plan = *handle.plan;
    boost::json::object o;
    o["duration"] = number(plan.duration);
    o["timeline_duration"] = number(plan.timeline_duration);
    o["range_start"] = number(plan.range_start);
    o["fps"] = number(plan.fps());
    o["frames"] = plan.frames;
    o["size"] = {{"width", plan.width()}, {"height", plan.height()}};
    o["audio"] = plan.has_audio;
    o["work"] = work_json(plan);
    o["tracks"] = tracks_json(plan);
    o["warnings"] = warnings_json(handle.warnings);
    return json_text(o, 2);
}

}  // namespace vidgen::render
