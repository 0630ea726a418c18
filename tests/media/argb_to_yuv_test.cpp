#include "media/detail/argb_to_yuv.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace vidgen::media::detail {
namespace {

struct Planes {
    Planes(int w, int h) : y(std::size_t(w) * h), u(std::size_t(w / 2) * (h / 2)), v(u.size()), width(w) {}
    YuvPlanes view() { return {y.data(), u.data(), v.data(), width, width / 2, width / 2}; }
    std::vector<std::uint8_t> y, u, v;
    int width;
};

std::vector<std::uint32_t> noise(int w, int h, unsigned seed) {
    std::mt19937 random(seed);
    std::vector<std::uint32_t> pixels(std::size_t(w) * h);
    for (auto& p : pixels) p = 0xFF000000u | (random() & 0xFFFFFFu);
    return pixels;
}

TEST(ArgbToYuv, SimdMatchesTheScalarReferenceExactly) {
    for (auto [w, h] : {std::pair{1920, 8}, {1282, 6}, {30, 4}, {16, 2}, {2, 2}}) {
        for (bool bt709 : {true, false}) {
            auto pixels = noise(w, h, unsigned(w * 31 + h));
            Planes simd(w, h), scalar(w, h);
            const auto* bytes = reinterpret_cast<const std::uint8_t*>(pixels.data());
            argb_to_yuv420(bytes, w * 4, w, h, bt709, simd.view());
            argb_to_yuv420_scalar(bytes, w * 4, w, h, bt709, scalar.view());
            EXPECT_EQ(simd.y, scalar.y) << w << "x" << h << (bt709 ? " bt709" : " bt601");
            EXPECT_EQ(simd.u, scalar.u) << w << "x" << h;
            EXPECT_EQ(simd.v, scalar.v) << w << "x" << h;
        }
    }
}

TEST(ArgbToYuv, KnownColoursInLimitedRange) {
    struct Case {
        std::uint32_t argb;
        bool bt709;
        int y, u, v;
    };
    const Case cases[] = {
        {0xFF000000u, true, 16, 128, 128},  {0xFFFFFFFFu, true, 235, 128, 128},
        {0xFF808080u, true, 126, 128, 128}, {0xFFFF0000u, true, 63, 102, 240},
        {0xFF00FF00u, true, 173, 42, 26},   {0xFF0000FFu, true, 32, 240, 118},
        {0xFFFF0000u, false, 82, 90, 240},  {0xFFFFFFFFu, false, 235, 128, 128},
    };
    for (const Case& c : cases) {
        std::vector<std::uint32_t> pixels(16 * 2, c.argb);
        Planes out(16, 2);
        argb_to_yuv420(reinterpret_cast<const std::uint8_t*>(pixels.data()), 64, 16, 2, c.bt709, out.view());
        EXPECT_NEAR(out.y[0], c.y, 1) << std::hex << c.argb;
        EXPECT_NEAR(out.u[0], c.u, 1) << std::hex << c.argb;
        EXPECT_NEAR(out.v[0], c.v, 1) << std::hex << c.argb;
    }
}

}  // namespace
}  // namespace vidgen::media::detail
