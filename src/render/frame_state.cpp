#include "render/frame_state.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "core/hash.hpp"
#include "render/animate.hpp"
#include "render/easing.hpp"
#include "render/plan.hpp"

namespace vidgen::render {
namespace {

using spec::TransitionType;

// How far a transition has brought the clip in: 1 = fully shown, 0 = not at all.
double shown(const spec::Transition& tr, double seconds_inside) {
    if (tr.type == TransitionType::none || tr.duration <= 0 || seconds_inside >= tr.duration) return 1;
    return ease(tr.easing, std::clamp(seconds_inside / tr.duration, 0.0, 1.0));
}

void apply_wipe(LayerState& s, TransitionType type, double v, bool out) {
    bool leading = (type == TransitionType::wipe_left || type == TransitionType::wipe_up) != out;
    bool horizontal = type == TransitionType::wipe_left || type == TransitionType::wipe_right;
    double& lo = horizontal ? s.wipe_x0 : s.wipe_y0;
    double& hi = horizontal ? s.wipe_x1 : s.wipe_y1;
    if (leading)
        lo = std::max(lo, 1 - v);
    else
        hi = std::min(hi, v);
}

void apply_slide(LayerState& s, TransitionType type, double v, bool out, const Plan& plan) {
    double sign = (type == TransitionType::slide_left || type == TransitionType::slide_up) ? 1 : -1;
    if (out) sign = -sign;
    if (type == TransitionType::slide_left || type == TransitionType::slide_right)
        s.x += sign * (1 - v) * plan.width();
    else
        s.y += sign * (1 - v) * plan.height();
}

void apply_transition(LayerState& s, const spec::Transition& tr, double v, bool out, const Plan& plan) {
    switch (tr.type) {
        case TransitionType::none:
            return;
        case TransitionType::fade:
        case TransitionType::crossfade:
            s.opacity *= v;
            return;
        case TransitionType::zoom:
            s.scale *= v;
            s.opacity *= v;
            return;
        case TransitionType::wipe_left:
        case TransitionType::wipe_right:
        case TransitionType::wipe_up:
        case TransitionType::wipe_down:
            apply_wipe(s, tr.type, v, out);
            return;
        default:
            apply_slide(s, tr.type, v, out, plan);
            return;
    }
}

// A crossfade out is drawn by the next clip fading in over this one, which stays fully visible.
bool is_underlay(const Plan& plan, std::size_t index) {
    const PlannedClip& pc = plan.clips[index];
    if (pc.clip->transition_out.type != TransitionType::crossfade) return false;
    if (index + 1 >= plan.clips.size()) return false;
    const PlannedClip& next = plan.clips[index + 1];
    return next.track == pc.track && next.clip->transition_in.type == TransitionType::crossfade &&
           next.start < pc.end;
}

void apply_ken_burns(LayerState& s, const PlannedClip& pc, double u) {
    const spec::Effect& e = pc.clip->effect;
    double reach = 0.1 * e.speed;
    double travel = 0.5 * reach * (1 - 2 * u);  // +half the reach to -half, in box fractions
    switch (e.type) {
        case spec::KenBurns::none:
            return;
        case spec::KenBurns::zoom_in:
            s.zoom = 1 + reach * u;
            return;
        case spec::KenBurns::zoom_out:
            s.zoom = 1 + reach * (1 - u);
            return;
        default:
            break;
    }
    s.zoom = 1 + reach;
    bool horizontal = e.type == spec::KenBurns::pan_left || e.type == spec::KenBurns::pan_right;
    double sign = (e.type == spec::KenBurns::pan_left || e.type == spec::KenBurns::pan_up) ? 1 : -1;
    if (horizontal)
        s.pan_x = sign * travel * pc.box_w;
    else
        s.pan_y = sign * travel * pc.box_h;
}

void set_colour(LayerState& s, const PlannedClip& pc, double t) {
    spec::Color c{};
    if (auto* text = std::get_if<spec::TextAsset>(&pc.clip->asset))
        c = sample(text->style.color, t);
    else if (auto* shape = std::get_if<spec::ShapeAsset>(&pc.clip->asset))
        c = sample(shape->fill, t);
    else if (auto* colour = std::get_if<spec::ColorAsset>(&pc.clip->asset))
        c = sample(colour->color, t);
    s.r = c.r, s.g = c.g, s.b = c.b, s.a = c.a;
}

double video_time(const PlannedClip& pc, double t, std::int64_t& frame) {
    const auto& v = std::get<spec::VideoAsset>(pc.clip->asset);
    double src = v.trim + t * v.speed;
    double period = pc.source_duration - v.trim;
    if (v.loop && period > 0) src = v.trim + std::fmod(src - v.trim, period);
    double fps = pc.source_fps > 0 ? pc.source_fps : 30;
    frame = static_cast<std::int64_t>(std::floor(src * fps + 1e-6));
    return src;
}

LayerState sample_layer(const Plan& plan, std::size_t index, double time, double& source_time) {
    const PlannedClip& pc = plan.clips[index];
    const spec::Layout& layout = pc.clip->layout;
    double t = time - pc.start;
    LayerState s;
    s.clip = static_cast<std::int64_t>(index);
    Rect box = place_box(layout, {pc.box_w, pc.box_h}, plan.width(), plan.height(), t);
    s.x = box.x, s.y = box.y;
    s.scale = sample(layout.scale, t);
    s.rotation = sample(layout.rotation, t);
    s.opacity = std::clamp(sample(layout.opacity, t), 0.0, 1.0);
    apply_transition(s, pc.clip->transition_in, shown(pc.clip->transition_in, t), false, plan);
    if (!is_underlay(plan, index))
        apply_transition(s, pc.clip->transition_out, shown(pc.clip->transition_out, pc.end - time), true,
                         plan);
    double span = pc.end - pc.start;
    apply_ken_burns(s, pc, span > 0 ? std::clamp(t / span, 0.0, 1.0) : 0);
    set_colour(s, pc, t);
    source_time = pc.kind == ClipKind::video ? video_time(pc, t, s.source_frame) : 0;
    return s;
}

bool visible(const LayerState& s) {
    return s.opacity > 1e-4 && s.scale != 0 && s.wipe_x0 < s.wipe_x1 && s.wipe_y0 < s.wipe_y1;
}

}  // namespace

FrameState sample_frame(const Plan& plan, double time) {
    FrameState f;
    f.time = time;
    for (std::size_t i = 0; i < plan.clips.size(); ++i) {
        const PlannedClip& pc = plan.clips[i];
        if (pc.kind == ClipKind::audio || time < pc.start || time >= pc.end) continue;
        double source_time = 0;
        LayerState s = sample_layer(plan, i, time, source_time);
        if (!visible(s)) continue;
        f.layers.push_back(s);
        f.source_times.push_back(source_time);
    }
    std::string_view bytes(reinterpret_cast<const char*>(f.layers.data()),
                           f.layers.size() * sizeof(LayerState));
    f.signature = fast_hash(bytes, f.layers.size());
    return f;
}

}  // namespace vidgen::render
