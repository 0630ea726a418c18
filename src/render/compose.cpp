#include "render/compose.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

#include "media/image.hpp"
#include "render/content.hpp"
#include "render/detail/cairo.hpp"
#include "render/plan.hpp"

namespace vidgen::render {
namespace {

constexpr double kPi = 3.14159265358979323846;

// Whether the current transform only moves by whole pixels; with `snap`, a transform that only moves is
// first rounded to whole pixels so the bitmap stays crisp.
bool whole_pixel_translation(cairo_t* cr, bool snap) {
    cairo_matrix_t m;
    cairo_get_matrix(cr, &m);
    if (m.xx != 1 || m.yy != 1 || m.xy != 0 || m.yx != 0) return false;
    if (snap) {
        m.x0 = std::round(m.x0);
        m.y0 = std::round(m.y0);
        cairo_set_matrix(cr, &m);
    }
    return m.x0 == std::round(m.x0) && m.y0 == std::round(m.y0);
}

// Edge pixels may be repeated outwards (avoiding a soft seam when scaled) only where the box clips them.
bool pad_edges(const Rect& r, const PlannedClip& pc) {
    return pc.clip_to_box && r.x <= 0 && r.y <= 0 && r.x + r.w >= pc.box_w && r.y + r.h >= pc.box_h;
}

struct Paint {
    double opacity = 1;
    bool pad = false;   // repeat edge pixels outwards (content clipped to its box)
    bool snap = false;  // round an unscaled, unrotated placement to whole pixels
};

// Paints `bitmap` stretched over `rect` (box px).
void paint_bitmap(cairo_t* cr, const media::Bitmap& bitmap, const Rect& rect, Paint paint) {
    if (bitmap.empty() || rect.w <= 0 || rect.h <= 0) return;
    auto surface = detail::wrap(bitmap);
    cairo_save(cr);
    cairo_translate(cr, rect.x, rect.y);
    cairo_scale(cr, rect.w / bitmap.width(), rect.h / bitmap.height());
    bool whole = whole_pixel_translation(cr, paint.snap);
    cairo_set_source_surface(cr, surface.get(), 0, 0);
    cairo_pattern_t* pattern = cairo_get_source(cr);
    cairo_pattern_set_filter(pattern, whole ? CAIRO_FILTER_FAST : CAIRO_FILTER_BILINEAR);
    if (paint.pad) cairo_pattern_set_extend(pattern, CAIRO_EXTEND_PAD);
    cairo_paint_with_alpha(cr, paint.opacity);
    cairo_restore(cr);
}

// The box transform: position, rotation and scale about the box centre; afterwards (0,0) is the box's
// top-left and units are box px.
// A layer that is neither scaled, rotated nor zoomed, and whose position does not animate, is drawn at
// whole pixels (crisp text and images); moving layers keep their sub-pixel positions for smooth motion.
bool snaps(const PlannedClip& pc, const LayerState& s) {
    const spec::Layout& l = pc.clip->layout;
    return s.rotation == 0 && s.scale == 1 && s.zoom == 1 && s.pan_x == 0 && s.pan_y == 0 &&
           !l.x.animated() && !l.y.animated();
}

void enter_box(cairo_t* cr, const PlannedClip& pc, const LayerState& s) {
    bool snap = snaps(pc, s);
    cairo_translate(cr, snap ? std::round(s.x) : s.x, snap ? std::round(s.y) : s.y);
    cairo_translate(cr, pc.box_w / 2, pc.box_h / 2);
    if (s.rotation != 0) cairo_rotate(cr, s.rotation * kPi / 180);
    if (s.scale != 1) cairo_scale(cr, s.scale, s.scale);
    cairo_translate(cr, -pc.box_w / 2, -pc.box_h / 2);
}

void clip_box(cairo_t* cr, const PlannedClip& pc, const LayerState& s) {
    double radius = pc.clip->layout.radius;
    if (pc.clip_to_box || radius > 0) {
        detail::rounded_rect(cr, 0, 0, pc.box_w, pc.box_h, radius);
        cairo_clip(cr);
    }
    if (s.wipe_x0 > 0 || s.wipe_y0 > 0 || s.wipe_x1 < 1 || s.wipe_y1 < 1) {
        cairo_rectangle(cr, s.wipe_x0 * pc.box_w, s.wipe_y0 * pc.box_h, (s.wipe_x1 - s.wipe_x0) * pc.box_w,
                        (s.wipe_y1 - s.wipe_y0) * pc.box_h);
        cairo_clip(cr);
    }
}

void apply_ken_burns(cairo_t* cr, const PlannedClip& pc, const LayerState& s) {
    if (s.zoom == 1 && s.pan_x == 0 && s.pan_y == 0) return;
    cairo_translate(cr, pc.box_w / 2 + s.pan_x, pc.box_h / 2 + s.pan_y);
    cairo_scale(cr, s.zoom, s.zoom);
    cairo_translate(cr, -pc.box_w / 2, -pc.box_h / 2);
}

// A copy `factor` times smaller on each side (a cheap start for a wide blur).
media::Bitmap shrink(const media::Bitmap& source, int factor) {
    media::Bitmap small(std::max(1, source.width() / factor), std::max(1, source.height() / factor));
    auto surface = detail::wrap(small);
    auto cr = detail::context(surface);
    paint_bitmap(cr.get(), source, {0, 0, double(small.width()), double(small.height())}, {1, true, false});
    cairo_surface_flush(surface.get());
    return small;
}

// A video frame, over a blurred cover copy of itself for contain-blur.
void paint_video(cairo_t* cr, const PlannedClip& pc, const media::Bitmap& frame, Paint paint) {
    if (pc.clip->layout.fit == spec::Fit::contain_blur) {
        Size natural{double(frame.width()), double(frame.height())};
        Rect cover = fit_rect(spec::Fit::cover, natural, {pc.box_w, pc.box_h});
        paint_bitmap(cr, media::blur(shrink(frame, 8), 2.5), cover, {paint.opacity, true, false});
    }
    paint.pad = pad_edges(pc.content, pc);
    paint_bitmap(cr, frame, pc.content, paint);
}

Result<void> paint_content(cairo_t* cr, const Plan& plan, const PlannedClip& pc, const LayerState& s,
                           const media::Bitmap* video) {
    spec::Color colour{s.r, s.g, s.b, s.a};
    Paint paint{s.opacity, false, snaps(pc, s)};
    if (pc.kind == ClipKind::color) {
        cairo_set_source_rgba(cr, colour.r, colour.g, colour.b, colour.a);
        cairo_paint_with_alpha(cr, s.opacity);
        return {};
    }
    if (pc.kind == ClipKind::video) {
        if (video) paint_video(cr, pc, *video, paint);
        return {};
    }
    if (pc.raster) {
        auto pixels = pc.raster.get();
        if (!pixels) return std::unexpected(pixels.error());
        paint.pad = pad_edges(pc.content, pc);
        paint_bitmap(cr, **pixels, pc.content, paint);
        return {};
    }
    auto content = generated_content(pc, plan.base_dir, plan.width(), plan.height(), colour);
    if (!content) return std::unexpected(content.error());
    paint_bitmap(cr, *content->bitmap, content->rect, paint);
    return {};
}

// Draws layers [first, last) of `state` over whatever `cr` holds.
Result<void> draw_layers(cairo_t* cr, const Plan& plan, const FrameState& state,
                         std::span<const media::Bitmap* const> video_frames, std::size_t first,
                         std::size_t last) {
    cairo_set_operator(cr, CAIRO_OPERATOR_OVER);
    for (std::size_t i = first; i < last; ++i) {
        const LayerState& s = state.layers[i];
        const PlannedClip& pc = plan.clips[static_cast<std::size_t>(s.clip)];
        cairo_save(cr);
        enter_box(cr, pc, s);
        clip_box(cr, pc, s);
        apply_ken_burns(cr, pc, s);
        auto painted = paint_content(cr, plan, pc, s, i < video_frames.size() ? video_frames[i] : nullptr);
        cairo_restore(cr);
        if (!painted) return painted;
    }
    return {};
}

// Where a layer's pixels may land, in its content's coordinates after the box transform; null when
// that is only known once drawn (content rasterised per frame, a colour filling the frame).
std::optional<Rect> drawn_area(const PlannedClip& pc) {
    if (pc.kind == ClipKind::color)
        return pc.clip_to_box ? std::optional(Rect{0, 0, pc.box_w, pc.box_h}) : std::nullopt;
    if (pc.kind == ClipKind::video && pc.clip->layout.fit == spec::Fit::contain_blur)
        return Rect{0, 0, pc.box_w, pc.box_h};
    if (pc.kind == ClipKind::video || pc.raster) return pc.content;
    return std::nullopt;
}

}  // namespace

Result<void> compose(const Plan& plan, const FrameState& state,
                     std::span<const media::Bitmap* const> video_frames, media::Bitmap& out) {
    auto surface = detail::wrap(out);
    auto cr = detail::context(surface);
    const spec::Color& bg = plan.spec.timeline.background;
    cairo_set_operator(cr.get(), CAIRO_OPERATOR_SOURCE);
    cairo_set_source_rgba(cr.get(), bg.r, bg.g, bg.b, bg.a);
    cairo_paint(cr.get());
    auto drawn = draw_layers(cr.get(), plan, state, video_frames, 0, state.layers.size());
    cairo_surface_flush(surface.get());
    return drawn;
}

Result<void> compose_layers(const Plan& plan, const FrameState& state, std::size_t first, std::size_t last,
                            int x, int y, media::Bitmap& out) {
    auto surface = detail::wrap(out);
    auto cr = detail::context(surface);
    cairo_translate(cr.get(), -x, -y);
    auto drawn = draw_layers(cr.get(), plan, state, {}, first, last);
    cairo_surface_flush(surface.get());
    return drawn;
}

Rect layer_bounds(const Plan& plan, const LayerState& state) {
    const PlannedClip& pc = plan.clips[static_cast<std::size_t>(state.clip)];
    const Rect frame{0, 0, double(plan.width()), double(plan.height())};
    auto area = drawn_area(pc);
    if (!area) return frame;
    media::Bitmap pixel(1, 1);  // the transform only; nothing is drawn
    auto surface = detail::wrap(pixel);
    auto cr = detail::context(surface);
    enter_box(cr.get(), pc, state);
    apply_ken_burns(cr.get(), pc, state);
    double x0 = frame.w, y0 = frame.h, x1 = 0, y1 = 0;
    for (auto [cx, cy] : {std::pair{area->x, area->y},
                          {area->x + area->w, area->y},
                          {area->x, area->y + area->h},
                          {area->x + area->w, area->y + area->h}}) {
        cairo_user_to_device(cr.get(), &cx, &cy);
        x0 = std::min(x0, cx), y0 = std::min(y0, cy), x1 = std::max(x1, cx), y1 = std::max(y1, cy);
    }
    // One more pixel each side for filtering and antialiasing, then inside the frame.
    x0 = std::max(0.0, std::floor(x0) - 1), y0 = std::max(0.0, std::floor(y0) - 1);
    x1 = std::min(frame.w, std::ceil(x1) + 1), y1 = std::min(frame.h, std::ceil(y1) + 1);
    return {x0, y0, std::max(0.0, x1 - x0), std::max(0.0, y1 - y0)};
}

}  // namespace vidgen::render
