#include "render/detail/text_draw.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "render/detail/text_blur.hpp"

namespace vidgen::render::detail {
namespace {

constexpr double kAntialiasMargin = 1;  // px of partial coverage outside the ink rectangle

Rect grow(const Rect& r, double by, double dx = 0, double dy = 0) {
    return {r.x - by + dx, r.y - by + dy, r.width + 2 * by, r.height + 2 * by};
}

Rect unite(const Rect& a, const Rect& b) {
    double x0 = std::min(a.x, b.x), y0 = std::min(a.y, b.y);
    double x1 = std::max(a.x + a.width, b.x + b.width), y1 = std::max(a.y + a.height, b.y + b.height);
    return {x0, y0, x1 - x0, y1 - y0};
}

SurfacePtr wrap(media::Bitmap& bitmap) {
    return SurfacePtr(cairo_image_surface_create_for_data(bitmap.data(), CAIRO_FORMAT_ARGB32, bitmap.width(),
                                                          bitmap.height(), bitmap.stride()));
}

void rounded_box(cairo_t* cr, double w, double h, double r) {
    r = std::clamp(r, 0.0, std::min(w, h) / 2);
    constexpr double kQuarter = std::numbers::pi / 2;
    cairo_new_sub_path(cr);
    cairo_arc(cr, w - r, r, r, -kQuarter, 0);
    cairo_arc(cr, w - r, h - r, r, 0, kQuarter);
    cairo_arc(cr, r, h - r, r, kQuarter, 2 * kQuarter);
    cairo_arc(cr, r, r, r, 2 * kQuarter, 3 * kQuarter);
    cairo_close_path(cr);
}

// The glyphs at the placement: the stroke outline first (when the style has one), the fill over it.
void draw_glyphs(cairo_t* cr, PangoLayout* layout, const TextPlacement& at, const spec::Stroke& stroke,
                 const spec::Color& stroke_color, const spec::Color& fill) {
    if (stroke.width > 0) {
        cairo_move_to(cr, at.text_x, at.text_y);
        pango_cairo_layout_path(cr, layout);
        cairo_set_source_rgba(cr, stroke_color.r, stroke_color.g, stroke_color.b, stroke_color.a);
        cairo_set_line_width(cr, stroke.width);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
    }
    cairo_move_to(cr, at.text_x, at.text_y);
    cairo_set_source_rgba(cr, fill.r, fill.g, fill.b, fill.a);
    pango_cairo_show_layout(cr, layout);
}

// The shadow: the glyphs' coverage, offset and blurred, painted in the shadow colour.
void draw_shadow(cairo_t* cr, PangoLayout* layout, const TextPlacement& at, const Rect& bounds,
                 const spec::TextStyle& style) {
    const spec::Shadow& shadow = style.shadow;
    media::Bitmap mask(static_cast<int>(bounds.width), static_cast<int>(bounds.height));
    SurfacePtr surface = wrap(mask);
    {
        CairoPtr mask_cr(cairo_create(surface.get()));
        cairo_translate(mask_cr.get(), -bounds.x + shadow.x, -bounds.y + shadow.y);
        const spec::Color opaque{1, 1, 1, 1};
        draw_glyphs(mask_cr.get(), layout, at, style.stroke, opaque, opaque);
    }
    cairo_surface_flush(surface.get());
    blur_bitmap(mask, shadow.blur);
    cairo_surface_mark_dirty(surface.get());
    cairo_save(cr);
    cairo_identity_matrix(cr);
    cairo_set_source_rgba(cr, shadow.color.r, shadow.color.g, shadow.color.b, shadow.color.a);
    cairo_mask_surface(cr, surface.get(), 0, 0);
    cairo_restore(cr);
}

}  // namespace

Rect drawn_bounds(const TextPlacement& at, const spec::TextStyle& style) {
    Rect ink = at.ink;
    ink.x += at.text_x;
    ink.y += at.text_y;
    double stroke = std::max(0.0, style.stroke.width) / 2 + kAntialiasMargin;
    Rect bounds = unite({0, 0, at.box_width, at.box_height}, grow(ink, stroke));
    if (style.shadow.enabled) {
        double spread = stroke + blur_extent(style.shadow.blur);
        bounds = unite(bounds, grow(ink, spread, style.shadow.x, style.shadow.y));
    }
    double x0 = std::floor(bounds.x), y0 = std::floor(bounds.y);
    double x1 = std::ceil(bounds.x + bounds.width), y1 = std::ceil(bounds.y + bounds.height);
    return {x0, y0, std::max(1.0, x1 - x0), std::max(1.0, y1 - y0)};
}

media::Bitmap draw_text(PangoLayout* layout, const TextPlacement& at, const Rect& bounds,
                        const spec::TextStyle& style, const spec::Color& color) {
    media::Bitmap bitmap(static_cast<int>(bounds.width), static_cast<int>(bounds.height));
    SurfacePtr surface = wrap(bitmap);
    CairoPtr cr(cairo_create(surface.get()));
    cairo_translate(cr.get(), -bounds.x, -bounds.y);
    const auto& background = style.background;
    if (background.enabled && background.color.a > 0) {
        rounded_box(cr.get(), at.box_width, at.box_height, background.radius);
        cairo_set_source_rgba(cr.get(), background.color.r, background.color.g, background.color.b,
                              background.color.a);
        cairo_fill(cr.get());
    }
    if (style.shadow.enabled && style.shadow.color.a > 0) draw_shadow(cr.get(), layout, at, bounds, style);
    draw_glyphs(cr.get(), layout, at, style.stroke, style.stroke.color, color);
    cairo_surface_flush(surface.get());
    return bitmap;
}

}  // namespace vidgen::render::detail
