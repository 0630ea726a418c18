// Shapes (rectangle with corner radius, ellipse, line) and solid colours rasterised with Cairo into
// ARGB32 bitmaps of the clip's box size. Pure; thread-safe.
#pragma once

#include "media/bitmap.hpp"
#include "spec/model.hpp"

namespace vidgen::render {

// A `width` × `height` bitmap (rounded up to whole pixels) holding the shape drawn to fill it,
// with `fill` as the fill colour (the asset's fill sampled at a time) and corner radius `radius` px.
media::Bitmap rasterize_shape(const spec::ShapeAsset& shape, double width, double height, double radius,
                              const spec::Color& fill);

}  // namespace vidgen::render
