// RAII for the Cairo objects the compositor uses, and a zero-copy wrap of media::Bitmap as a surface.
// The wrapped bitmap must outlive the surface. Not thread-safe per object.
#pragma once

#include <cairo.h>

#include <algorithm>
#include <memory>

#include "media/bitmap.hpp"

namespace vidgen::render::detail {

struct SurfaceDeleter {
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextDeleter {
    void operator()(cairo_t* c) const { cairo_destroy(c); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;
using ContextPtr = std::unique_ptr<cairo_t, ContextDeleter>;

// A surface over the bitmap's pixels. Cairo only reads from a surface used as a source, so wrapping a
// const bitmap for painting is safe.
inline SurfacePtr wrap(const media::Bitmap& bitmap) {
    auto* data = const_cast<unsigned char*>(bitmap.data());
    return SurfacePtr(cairo_image_surface_create_for_data(data, CAIRO_FORMAT_ARGB32, bitmap.width(),
                                                          bitmap.height(), bitmap.stride()));
}

inline ContextPtr context(const SurfacePtr& surface) {
    return ContextPtr(cairo_create(surface.get()));
}

// Adds a rectangle with corners rounded by `radius` to the current path.
inline void rounded_rect(cairo_t* cr, double x, double y, double w, double h, double radius) {
    if (radius <= 0) {
        cairo_rectangle(cr, x, y, w, h);
        return;
    }
    double r = std::min(radius, std::min(w, h) / 2);
    constexpr double kPi = 3.14159265358979323846;
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -kPi / 2, 0);
    cairo_arc(cr, x + w - r, y + h - r, r, 0, kPi / 2);
    cairo_arc(cr, x + r, y + h - r, r, kPi / 2, kPi);
    cairo_arc(cr, x + r, y + r, r, kPi, 3 * kPi / 2);
    cairo_close_path(cr);
}

}  // namespace vidgen::render::detail
