#include "render/yuv_compose.hpp"

#include <cmath>
#include <cstring>
#include <optional>

#include "render/compose.hpp"
#include "render/plan.hpp"

namespace vidgen::render {
namespace {

struct Placement {
    int x = 0, y = 0, w = 0, h = 0;
};

bool even_whole(double v) {
    return v == std::floor(v) && static_cast<long>(v) % 2 == 0;
}

bool untransformed(const LayerState& s) {
    return s.opacity >= 1 && s.rotation == 0 && s.scale == 1 && s.zoom == 1 && s.pan_x == 0 && s.pan_y == 0 &&
           s.wipe_x0 <= 0 && s.wipe_y0 <= 0 && s.wipe_x1 >= 1 && s.wipe_y1 >= 1;
}

// Where a plain video layer's pixels go: its decoded frame copied unscaled to whole, even pixels of the
// frame, as compose() would draw it; null for any other layer.
std::optional<Placement> plain_video(const Plan& plan, const LayerState& s, const media::SourceFrame& frame,
                                     bool bt709) {
    const PlannedClip& pc = plan.clips[static_cast<std::size_t>(s.clip)];
    const spec::Layout& layout = pc.clip->layout;
    if (pc.kind != ClipKind::video || frame.empty() || !frame.scales_to_yuv420(bt709)) return std::nullopt;
    if (!untransformed(s) || layout.radius > 0 || layout.fit == spec::Fit::contain_blur) return std::nullopt;
    const Rect& c = pc.content;
    if (c.x != 0 || c.y != 0 || c.w != pc.box_w || c.h != pc.box_h) return std::nullopt;
    if (frame.width() != c.w || frame.height() != c.h) return std::nullopt;
    // compose() rounds a still layer's position to whole pixels (see snaps()).
    const double x = layout.x.animated() ? s.x : std::round(s.x);
    const double y = layout.y.animated() ? s.y : std::round(s.y);
    if (!even_whole(x) || !even_whole(y) || !even_whole(c.w) || !even_whole(c.h)) return std::nullopt;
    Placement p{int(x), int(y), int(c.w), int(c.h)};
    if (p.x < 0 || p.y < 0 || p.x + p.w > plan.width() || p.y + p.h > plan.height()) return std::nullopt;
    return p;
}

Result<void> draw_video(const media::SourceFrame& frame, const Placement& p, const media::YuvView& out,
                        YuvScratch& scratch) {
    if (p.w == out.width && p.h == out.height) return frame.to_yuv420(out);
    // swscale may write a little past a row's end: scale aside, then copy into place.
    if (scratch.video.view().width != p.w || scratch.video.view().height != p.h)
        scratch.video = media::YuvImage(p.w, p.h);
    if (auto scaled = frame.to_yuv420(scratch.video.view()); !scaled) return scaled;
    media::copy_yuv(scratch.video.view(), out.region(p.x, p.y, p.w, p.h));
    return {};
}

// The union of the layers' bounds, widened to even pixels.
Placement group_bounds(const Plan& plan, const FrameState& state, std::size_t first, std::size_t last) {
    double x0 = plan.width(), y0 = plan.height(), x1 = 0, y1 = 0;
    for (std::size_t i = first; i < last; ++i) {
        Rect r = layer_bounds(plan, state.layers[i]);
        if (r.w <= 0 || r.h <= 0) continue;
        x0 = std::min(x0, r.x), y0 = std::min(y0, r.y), x1 = std::max(x1, r.x + r.w),
        y1 = std::max(y1, r.y + r.h);
    }
    if (x1 <= x0 || y1 <= y0) return {};
    auto down = [](double v) { return int(v) / 2 * 2; };
    auto up = [](double v, int limit) { return std::min(limit, (int(v) + 1) / 2 * 2); };
    Placement p{down(x0), down(y0), 0, 0};
    p.w = up(x1, plan.width()) - p.x;
    p.h = up(y1, plan.height()) - p.y;
    return p;
}

bool same_layers(const std::vector<LayerState>& a, std::span<const LayerState> b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), b.size_bytes()) == 0;
}

// Draws layers [first, last) with Cairo over their bounds (unless the thread's last overlay showed the
// same layers) and blends them into `out`.
Result<void> draw_overlay(const Plan& plan, const FrameState& state, std::size_t first, std::size_t last,
                          bool bt709, const media::YuvView& out, YuvScratch& scratch) {
    if (first >= last) return {};
    Placement p = group_bounds(plan, state, first, last);
    if (p.w <= 0 || p.h <= 0) return {};
    std::span<const LayerState> layers(state.layers.data() + first, last - first);
    if (!same_layers(scratch.drawn_layers, layers)) {
        media::Bitmap& overlay = scratch.overlay;
        if (overlay.width() != p.w || overlay.height() != p.h)
            overlay = media::Bitmap(p.w, p.h);
        else
            std::memset(overlay.data(), 0, std::size_t(overlay.stride()) * std::size_t(p.h));
        scratch.drawn_layers.clear();
        if (auto drawn = compose_layers(plan, state, first, last, p.x, p.y, overlay); !drawn) return drawn;
        scratch.drawn = media::YuvOverlay(overlay, bt709);
        scratch.drawn_layers.assign(layers.begin(), layers.end());
    }
    scratch.drawn.draw_over(out.region(p.x, p.y, p.w, p.h));
    return {};
}

}  // namespace

bool composes_in_yuv(const Plan& plan, const FrameState& state, std::span<const media::SourceFrame> videos,
                     bool bt709) {
    if (state.layers.empty() || videos.size() != state.layers.size()) return false;
    for (std::size_t i = 0; i < state.layers.size(); ++i) {
        const bool video = plan.clips[static_cast<std::size_t>(state.layers[i].clip)].kind == ClipKind::video;
        if (!video && i > 0) continue;
        auto placed = video ? plain_video(plan, state.layers[i], videos[i], bt709) : std::nullopt;
        if (!placed) return false;
        if (i == 0 &&
            (placed->x != 0 || placed->y != 0 || placed->w != plan.width() || placed->h != plan.height()))
            return false;
    }
    return true;
}

Result<void> compose_yuv(const Plan& plan, const FrameState& state,
                         std::span<const media::SourceFrame> videos, bool bt709, const media::YuvView& out,
                         YuvScratch& scratch) {
    std::size_t group = 0;  // first layer not drawn yet
    for (std::size_t i = 0; i < state.layers.size(); ++i) {
        auto placed = plain_video(plan, state.layers[i], videos[i], bt709);
        if (!placed) continue;
        if (auto drawn = draw_overlay(plan, state, group, i, bt709, out, scratch); !drawn) return drawn;
        if (auto drawn = draw_video(videos[i], *placed, out, scratch); !drawn) return drawn;
        group = i + 1;
    }
    return draw_overlay(plan, state, group, state.layers.size(), bt709, out, scratch);
}

}  // namespace vidgen::render
