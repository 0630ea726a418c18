// The RGB → limited-range YUV matrices in 8.8 fixed point shared by argb_to_yuv and blend_argb.
// Internal to the media module.
#pragma once

namespace vidgen::media::detail {

// Rows of the matrix scaled by 256 and by the limited range (219 for luma, 224 for chroma, over 255);
// each chroma row sums to zero so greys stay exactly neutral.
struct Matrix {
    int yr, yg, yb;
    int ur, ug, ub;
    int vr, vg, vb;
};
inline constexpr Matrix kBt709{47, 157, 16, -26, -86, 112, 112, -102, -10};
inline constexpr Matrix kBt601{66, 129, 25, -38, -74, 112, 112, -94, -18};

}  // namespace vidgen::media::detail
