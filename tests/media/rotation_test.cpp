#include <gtest/gtest.h>

#include "media/detail/pixels.hpp"
#include "media/probe.hpp"
#include "media/video_decoder.hpp"

namespace vidgen::media {
namespace {

const std::filesystem::path kRotated = std::filesystem::path(VIDGEN_TEST_DATA) / "media" / "rotated.mp4";

bool is_blue(std::uint32_t pixel) {
    return (pixel & 0xFF) > 160 && ((pixel >> 16) & 0xFF) < 96;
}

TEST(Rotation, ProbeReadsTheDisplayMatrixAsClockwiseDegrees) {
    auto info = probe(kRotated);
    ASSERT_TRUE(info) << info.error().to_string();
    ASSERT_NE(info->video(), nullptr);
    EXPECT_EQ(info->video()->rotation, 270);
    EXPECT_EQ(info->video()->width, 64);  // coded size; the displayed frame is 32×64
    EXPECT_EQ(info->video()->height, 32);
}

TEST(Rotation, DecoderAppliesTheDisplayRotation) {
    auto decoder = VideoDecoder::open(kRotated, 32, 64);
    ASSERT_TRUE(decoder) << decoder.error().to_string();
    auto frame = (*decoder)->frame_at(0);
    ASSERT_TRUE(frame) << frame.error().to_string();
    ASSERT_EQ((*frame)->width(), 32);
    ASSERT_EQ((*frame)->height(), 64);
    EXPECT_TRUE(is_blue((*frame)->row(60)[2]));  // the top-left square turned to the bottom-left
    EXPECT_FALSE(is_blue((*frame)->row(2)[2]));
    EXPECT_FALSE(is_blue((*frame)->row(60)[29]));
}

TEST(Rotation, RotatesBitmapsClockwise) {
    Bitmap source(3, 2);  // pixel value = 10·y + x
    for (int y = 0; y < 2; ++y) {
        for (int x = 0; x < 3; ++x) source.row(y)[x] = std::uint32_t(10 * y + x);
    }
    const Bitmap quarter = detail::rotate_clockwise(source, 90);
    ASSERT_EQ(quarter.width(), 2);
    ASSERT_EQ(quarter.height(), 3);
    EXPECT_EQ(quarter.row(0)[0], 10u);  // bottom-left comes to the top-left
    EXPECT_EQ(quarter.row(0)[1], 0u);
    EXPECT_EQ(quarter.row(2)[1], 2u);
    const Bitmap half = detail::rotate_clockwise(source, 180);
    EXPECT_EQ(half.row(0)[0], 12u);
    EXPECT_EQ(half.row(1)[2], 0u);
    const Bitmap three = detail::rotate_clockwise(source, 270);
    EXPECT_EQ(three.row(0)[0], 2u);  // top-right comes to the top-left
    EXPECT_EQ(three.row(2)[1], 10u);
}

}  // namespace
}  // namespace vidgen::media
