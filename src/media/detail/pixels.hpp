// Pixel packing between byte-order RGBA (libvips, libav) and Cairo's premultiplied native-endian ARGB32.
// Internal to the media module. Pure functions.
#pragma once

#include <cstdint>

#include "media/bitmap.hpp"

namespace vidgen::media::detail {

// Straight-alpha RGBA bytes (width·height·4) into a premultiplied ARGB32 bitmap of the same size; `rgba`
// may be the bitmap's own pixels (each pixel is read before it is written).
void rgba_to_premultiplied(const std::uint8_t* rgba, Bitmap& out);

// A premultiplied ARGB32 bitmap into straight-alpha RGBA bytes (width·height·4).
void premultiplied_to_rgba(const Bitmap& bitmap, std::uint8_t* rgba);

// Premultiplies in place the colour of ARGB32 pixels that were written with straight alpha.
void premultiply_in_place(Bitmap& bitmap);

// A copy turned clockwise by 90, 180 or 270 degrees (any other angle gives a plain copy).
Bitmap rotate_clockwise(const Bitmap& source, int degrees);

}  // namespace vidgen::media::detail
