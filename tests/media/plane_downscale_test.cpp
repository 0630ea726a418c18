// The fast plane downscaler against the definition it implements: each output sample is the mean of the
// source area it covers, rounded (within one level of an exact computation in doubles).
#include "media/detail/plane_downscale.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace vidgen::media::detail {
namespace {

using Plane = std::vector<std::uint8_t>;

Plane random_plane(int height, int stride, unsigned seed) {
    std::mt19937 random(seed);
    Plane plane(std::size_t(stride) * height);
    for (auto& p : plane) p = std::uint8_t(random());
    return plane;
}

// The area of source pixel [i, i + 1) inside output pixel [o·r, (o + 1)·r) for ratio r = in / out.
double overlap(int i, int o, double r) {
    return std::max(0.0, std::min(i + 1.0, (o + 1) * r) - std::max(double(i), o * r));
}

double area_mean(const Plane& in, int stride, int width, int height, int ox, int oy, double rx, double ry) {
    double sum = 0, weight = 0;
    for (int y = int(oy * ry); y < std::min(height, int(std::ceil((oy + 1) * ry))); ++y) {
        for (int x = int(ox * rx); x < std::min(width, int(std::ceil((ox + 1) * rx))); ++x) {
            const double w = overlap(x, ox, rx) * overlap(y, oy, ry);
            sum += w * in[std::size_t(y) * stride + x];
            weight += w;
        }
    }
    return sum / weight;
}

void expect_area_mean(int width, int height, int out_w, int out_h) {
    SCOPED_TRACE(testing::Message() << width << "x" << height << " -> " << out_w << "x" << out_h);
    ASSERT_TRUE(downscales_fast(width, height, out_w, out_h));
    const int stride = width + 13, out_stride = out_w + 7;  // rows wider than the picture
    Plane in = random_plane(height, stride, unsigned(width * 31 + out_w));
    Plane out(std::size_t(out_stride) * out_h, 0xAB);
    downscale_plane({in.data(), stride, width, height}, {out.data(), out_stride, out_w, out_h});
    const double rx = double(width) / out_w, ry = double(height) / out_h;
    int worst = 0;
    for (int y = 0; y < out_h; ++y) {
        for (int x = 0; x < out_w; ++x) {
            const double expected = area_mean(in, stride, width, height, x, y, rx, ry);
            worst =
                std::max(worst, int(std::lround(std::abs(out[std::size_t(y) * out_stride + x] - expected))));
        }
        for (int x = out_w; x < out_stride; ++x)
            ASSERT_EQ(out[std::size_t(y) * out_stride + x], 0xAB) << "padding";
    }
    EXPECT_LE(worst, 1);
}

TEST(PlaneDownscale, ThreeToTwoIsTheAreaMean) {
    expect_area_mean(1920, 1080, 1280, 720);
    expect_area_mean(960, 540, 640, 360);
    expect_area_mean(6, 6, 4, 4);
    expect_area_mean(90, 3, 60, 2);
}

TEST(PlaneDownscale, WholeRatiosAreTheAreaMean) {
    expect_area_mean(1920, 1080, 320, 180);  // 6:1, the usual picture-in-picture
    expect_area_mean(960, 540, 160, 90);
    expect_area_mean(1920, 1080, 960, 540);
    expect_area_mean(64, 40, 8, 5);  // 8:1
    expect_area_mean(21, 15, 7, 5);  // odd sizes
}

TEST(PlaneDownscale, TakesOnlyTheRatiosItImplements) {
    EXPECT_FALSE(downscales_fast(1920, 1080, 1920, 1080));  // no scaling
    EXPECT_FALSE(downscales_fast(1280, 720, 1920, 1080));   // upscaling
    EXPECT_FALSE(downscales_fast(1920, 1080, 1280, 540));   // different ratios across and down
    EXPECT_FALSE(downscales_fast(1920, 1080, 1024, 576));   // 15:8
    EXPECT_FALSE(downscales_fast(900, 900, 100, 100));      // 9:1: past 16-bit sums
    EXPECT_FALSE(downscales_fast(1920, 1080, 0, 0));
    EXPECT_FALSE(downscales_fast(5, 3, 2, 1));  // not a whole ratio
}

}  // namespace
}  // namespace vidgen::media::detail
