// Drawing premultiplied ARGB over YUV 4:2:0 (YuvOverlay) against composing in RGB and converting with
// FrameConverter's own conversion: the same within one level where the background is flat inside each
// 2×2 chroma block (elsewhere chroma blends the block's average alpha over its average colour, as any
// 4:2:0 overlay does).
#include "media/yuv.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

#include "media/detail/argb_to_yuv.hpp"

namespace vidgen::media {
namespace {

std::uint32_t over(std::uint32_t top, std::uint32_t bottom) {
    const std::uint32_t keep = 255 - (top >> 24);
    std::uint32_t out = 0;
    for (int shift = 0; shift < 32; shift += 8) {
        const std::uint32_t t = top >> shift & 0xFF, b = bottom >> shift & 0xFF;
        out |= std::min<std::uint32_t>(255, t + (b * keep + 127) / 255) << shift;
    }
    return out;
}

int max_difference(YuvView a, YuvView b) {
    int worst = 0;
    for (int y = 0; y < a.height; ++y) {
        for (int x = 0; x < a.width; ++x)
            worst = std::max(worst, std::abs(a.y[y * a.y_stride + x] - b.y[y * b.y_stride + x]));
    }
    for (int y = 0; y < a.height / 2; ++y) {
        for (int x = 0; x < a.width / 2; ++x) {
            worst = std::max(worst, std::abs(a.u[y * a.u_stride + x] - b.u[y * b.u_stride + x]));
            worst = std::max(worst, std::abs(a.v[y * a.v_stride + x] - b.v[y * b.v_stride + x]));
        }
    }
    return worst;
}

void to_yuv(const Bitmap& argb, bool bt709, YuvView out) {
    detail::argb_to_yuv420(argb.data(), argb.stride(), argb.width(), argb.height(), bt709,
                           {out.y, out.u, out.v, out.y_stride, out.u_stride, out.v_stride});
}

TEST(YuvOverlay, DrawsLikeComposingInRgb) {
    constexpr int w = 34, h = 20;
    std::mt19937 random(7);
    Bitmap background(w, h), overlay(w, h), composed(w, h);
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            background.row(y)[x] =
                x % 2 || y % 2 ? background.row(y & ~1)[x & ~1] : 0xFF000000u | (random() & 0xFFFFFFu);
            const std::uint32_t a = x < 4 ? 0 : random() & 0xFF;  // a transparent stripe, then any alpha
            std::uint32_t p = a << 24;
            for (int shift = 0; shift < 24; shift += 8) p |= (random() % (a + 1)) << shift;
            overlay.row(y)[x] = p;
            composed.row(y)[x] = over(p, background.row(y)[x]);
        }
    }
    for (bool bt709 : {true, false}) {
        YuvImage drawn(w, h), expected(w, h);
        to_yuv(background, bt709, drawn.view());
        YuvOverlay(overlay, bt709).draw_over(drawn.view());
        to_yuv(composed, bt709, expected.view());
        EXPECT_LE(max_difference(drawn.view(), expected.view()), 1) << (bt709 ? "bt709" : "bt601");
    }
}

TEST(YuvOverlay, DrawsIntoARegionOnly) {
    YuvImage frame(8, 8);
    YuvView all = frame.view();
    std::fill(all.y, all.y + 64, 16);
    std::fill(all.u, all.u + 32, 128);  // u and v planes follow each other
    Bitmap white(2, 2);
    for (int y = 0; y < 2; ++y) white.row(y)[0] = white.row(y)[1] = 0xFFFFFFFFu;
    blend_argb(white, all.region(2, 4, 2, 2), true);
    for (int y = 0; y < 8; ++y) {
        for (int x = 0; x < 8; ++x) {
            const bool inside = x >= 2 && x < 4 && y >= 4 && y < 6;
            EXPECT_EQ(all.y[y * 8 + x], inside ? 235 : 16) << x << "," << y;
        }
    }
}

}  // namespace
}  // namespace vidgen::media
