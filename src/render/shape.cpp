#include "render/shape.hpp"

#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>

namespace vidgen::render {
namespace {

struct SurfaceDeleter {
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextDeleter {
    void operator()(cairo_t* cr) const { cairo_destroy(cr); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;
using ContextPtr = std::unique_ptr<cairo_t, ContextDeleter>;

constexpr double kDefaultLineWidth = 4;

void set_color(cairo_t* cr, const spec::Color& c) {
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
}

// A rectangle (x, y, w, h) with every corner rounded by r, clamped to half the short side.
void rounded_rectangle(cairo_t* cr, double x, double y, double w, double h, double r) {
    r = std::clamp(r, 0.0, std::min(w, h) / 2);
    if (r <= 0) {
        cairo_rectangle(cr, x, y, w, h);
        return;
    }
    constexpr double kQuarter = std::numbers::pi / 2;
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -kQuarter, 0);
    cairo_arc(cr, x + w - r, y + h - r, r, 0, kQuarter);
    cairo_arc(cr, x + r, y + h - r, r, kQuarter, 2 * kQuarter);
    cairo_arc(cr, x + r, y + r, r, 2 * kQuarter, 3 * kQuarter);
    cairo_close_path(cr);
}

void ellipse(cairo_t* cr, double x, double y, double w, double h) {
    if (w <= 0 || h <= 0) return;
    cairo_save(cr);
    cairo_translate(cr, x + w / 2, y + h / 2);
    cairo_scale(cr, w / 2, h / 2);
    cairo_new_sub_path(cr);
    cairo_arc(cr, 0, 0, 1, 0, 2 * std::numbers::pi);
    cairo_close_path(cr);
    cairo_restore(cr);
}

// Fills the current path, then strokes it: the path is inset by half the stroke width so the stroke
// stays inside the box.
void fill_and_stroke(cairo_t* cr, const spec::Color& fill, const spec::Stroke& stroke) {
    set_color(cr, fill);
    if (stroke.width <= 0) {
        cairo_fill(cr);
        return;
    }
    cairo_fill_preserve(cr);
    set_color(cr, stroke.color);
    cairo_set_line_width(cr, stroke.width);
    cairo_stroke(cr);
}

void draw_line(cairo_t* cr, const spec::ShapeAsset& shape, double w, double h, const spec::Color& fill) {
    bool stroked = shape.stroke.width > 0;
    set_color(cr, stroked ? shape.stroke.color : fill);
    cairo_set_line_width(cr, stroked ? shape.stroke.width : kDefaultLineWidth);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_move_to(cr, 0, h / 2);
    cairo_line_to(cr, w, h / 2);
    cairo_stroke(cr);
}

void draw_shape(cairo_t* cr, const spec::ShapeAsset& shape, double w, double h, double radius,
                const spec::Color& fill) {
    if (shape.kind == spec::ShapeKind::line) {
        draw_line(cr, shape, w, h, fill);
        return;
    }
    double inset = std::max(0.0, shape.stroke.width) / 2;
    double iw = std::max(0.0, w - 2 * inset);
    double ih = std::max(0.0, h - 2 * inset);
    if (shape.kind == spec::ShapeKind::ellipse) {
        ellipse(cr, inset, inset, iw, ih);
    } else {
        double outer = std::min(radius, std::min(w, h) / 2);
        rounded_rectangle(cr, inset, inset, iw, ih, outer - inset);
    }
    fill_and_stroke(cr, fill, shape.stroke);
}

}  // namespace

media::Bitmap rasterize_shape(const spec::ShapeAsset& shape, double width, double height, double radius,
                              const spec::Color& fill) {
    int w = std::max(1, static_cast<int>(std::ceil(width)));
    int h = std::max(1, static_cast<int>(std::ceil(height)));
    media::Bitmap bitmap(w, h);
    SurfacePtr surface(
        cairo_image_surface_create_for_data(bitmap.data(), CAIRO_FORMAT_ARGB32, w, h, bitmap.stride()));
    ContextPtr cr(cairo_create(surface.get()));
    cairo_set_antialias(cr.get(), CAIRO_ANTIALIAS_GOOD);
    draw_shape(cr.get(), shape, width, height, radius, fill);
    cairo_surface_flush(surface.get());
    return bitmap;
}

}  // namespace vidgen::render
