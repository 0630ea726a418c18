// ARGB32 (Cairo's premultiplied layout, composed over an opaque background) to YUV 4:2:0, limited range,
// BT.709 or BT.601 matrix, in 8.8 fixed point; chroma from the average of each 2×2 block. SSE2 for 16
// pixels at a time, scalar for the rest; both give identical results. Even width and height only.
// Pure; thread-safe.
#pragma once

#include <cstdint>

namespace vidgen::media::detail {

struct YuvPlanes {
    std::uint8_t* y;
    std::uint8_t* u;
    std::uint8_t* v;
    int y_stride, u_stride, v_stride;
};

void argb_to_yuv420(const std::uint8_t* argb, int argb_stride, int width, int height, bool bt709,
                    const YuvPlanes& out);

// The same without SIMD: the reference the SIMD path is tested against.
void argb_to_yuv420_scalar(const std::uint8_t* argb, int argb_stride, int width, int height, bool bt709,
                           const YuvPlanes& out);

}  // namespace vidgen::media::detail
