#include "media/detail/h264_slice_numbers.hpp"

#include <gtest/gtest.h>

#include "media/detail/h264_bits.hpp"
#include "media/detail/h264_skip_slice.hpp"

namespace vidgen::media::detail {
namespace {

ParameterSets sets(bool cabac) {
    ParameterSets s;
    s.sps.log2_max_frame_num = 5;  // 32
    s.sps.pic_order_cnt_type = 0;
    s.sps.log2_max_poc_lsb = 6;  // 64
    s.sps.max_num_ref_frames = 1;
    s.sps.width_in_mbs = 20;
    s.sps.height_in_mbs = 15;
    s.pps.cabac = cabac;
    s.pps.deblocking_filter_control_present = true;
    return s;
}

std::vector<std::uint8_t> with_sei(std::vector<std::uint8_t> slice) {
    constexpr std::uint8_t kSei[] = {0, 0, 0, 1, 0x06, 0x05, 0x01, 0xAB, 0x80};  // an SEI before the slice
    slice.insert(slice.begin(), std::begin(kSei), std::end(kSei));
    return slice;
}

TEST(H264SliceNumbers, ReadsTheFirstSlicesNumbers) {
    for (bool cabac : {false, true}) {
        const auto s = sets(cabac);
        auto numbers = read_slice_numbers(s, with_sei(skip_slice_nal(s, SkipPicture{9, 50, true})));
        ASSERT_TRUE(numbers) << numbers.error().to_string();
        EXPECT_FALSE(numbers->idr);
        EXPECT_EQ(numbers->slice_type, 5);
        EXPECT_EQ(numbers->frame_num, 9u);
        EXPECT_EQ(numbers->poc_lsb, 50u);
    }
}

// The numbers move on and wrap; the rest of the slice and the other NAL units are as they were.
TEST(H264SliceNumbers, ShiftsWrapAndKeepTheRest) {
    for (bool cabac : {false, true}) {
        const auto s = sets(cabac);
        const auto unit = with_sei(skip_slice_nal(s, SkipPicture{30, 60, true}));
        auto shifted = shift_slice_numbers(s, unit, SliceShift{3, 10});
        ASSERT_TRUE(shifted) << shifted.error().to_string();
        EXPECT_EQ(*shifted, with_sei(skip_slice_nal(s, SkipPicture{1, 6, true})));
        auto back = shift_slice_numbers(s, *shifted, SliceShift{-3, -10});
        ASSERT_TRUE(back);
        EXPECT_EQ(*back, unit);
    }
}

TEST(H264SliceNumbers, RefusesAUnitWithoutASlice) {
    const std::vector<std::uint8_t> sei = {0, 0, 0, 1, 0x06, 0x05, 0x01, 0xAB, 0x80};
    EXPECT_FALSE(read_slice_numbers(sets(true), sei));
}

}  // namespace
}  // namespace vidgen::media::detail
