#include <boost/json.hpp>

#include "core/error.hpp"
#include "render/plan.hpp"
#include "render/render.hpp"

namespace vidgen::render {
namespace {

boost::json::object clip_json(const PlannedClip& pc) {
    boost::json::object o;
    o["pointer"] = pc.clip->pointer;
    o["kind"] = kind_name(pc.kind);
    o["start"] = pc.start;
    o["end"] = pc.end;
    o["static"] = !pc.animated;
    if (!pc.source.empty()) o["source"] = pc.source.string();
    if (pc.kind != ClipKind::audio) o["box"] = {{"width", pc.box_w}, {"height", pc.box_h}};
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

}  // namespace

std::string describe(const PlanHandle& handle) {
    const Plan& plan = *handle.plan;
    boost::json::object o;
    o["duration"] = plan.duration;
    o["timeline_duration"] = plan.timeline_duration;
    o["range_start"] = plan.range_start;
    o["fps"] = plan.fps();
    o["frames"] = plan.frames;
    o["size"] = {{"width", plan.width()}, {"height", plan.height()}};
    o["audio"] = plan.has_audio;
    o["tracks"] = tracks_json(plan);
    o["warnings"] = warnings_json(handle.warnings);
    return boost::json::serialize(o);
}

}  // namespace vidgen::render
