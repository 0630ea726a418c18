// Soft shadows: a Gaussian-like blur of a premultiplied ARGB32 bitmap made of three separable box-blur
// passes, as browsers approximate CSS blur. Pure; thread-safe.
#pragma once

#include "media/bitmap.hpp"

namespace vidgen::render::detail {

// How far (px) a blur of `blur` px spreads ink beyond its source; 0 for blur <= 0.
int blur_extent(double blur);

// Blurs in place with a spread of `blur` px (a Gaussian of σ ≈ blur / 2); pixels outside are transparent.
void blur_bitmap(media::Bitmap& bitmap, double blur);

}  // namespace vidgen::render::detail
