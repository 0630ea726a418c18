#include "media/detail/h264_skip_slice.hpp"

#include <gtest/gtest.h>

#include "media/detail/h264_bits.hpp"

namespace vidgen::media::detail {
namespace {

ParameterSets cavlc_sets() {
    ParameterSets sets;
    sets.sps.log2_max_frame_num = 5;
    sets.sps.pic_order_cnt_type = 0;
    sets.sps.log2_max_poc_lsb = 6;
    sets.sps.max_num_ref_frames = 1;
    sets.sps.width_in_mbs = 20;
    sets.sps.height_in_mbs = 15;
    sets.pps.pic_parameter_set_id = 2;
    sets.pps.deblocking_filter_control_present = true;
    return sets;
}

struct Header {
    std::uint32_t nal_header, first_mb, slice_type, pps_id, frame_num, poc_lsb, override_flag, ref_idx,
        modification, marking, qp_delta_code, deblocking, skip_run;
    bool more;
};

Header read_back(const std::vector<std::uint8_t>& nal, const ParameterSets& sets) {
    EXPECT_EQ(std::vector(nal.begin(), nal.begin() + 4), (std::vector<std::uint8_t>{0, 0, 0, 1}));
    const auto rbsp = unescape_rbsp(std::span(nal).subspan(4));
    BitReader in(rbsp);
    Header h{};
    h.nal_header = in.bits(8);
    h.first_mb = in.ue();
    h.slice_type = in.ue();
    h.pps_id = in.ue();
    h.frame_num = in.bits(sets.sps.log2_max_frame_num);
    h.poc_lsb = in.bits(sets.sps.log2_max_poc_lsb);
    h.override_flag = in.bits(1);
    h.ref_idx = in.ue();
    h.modification = in.bits(1);
    h.marking = in.bits(1);
    h.qp_delta_code = in.ue();
    h.deblocking = in.ue();
    h.skip_run = in.ue();
    h.more = in.more_rbsp_data();
    EXPECT_FALSE(in.overrun());
    return h;
}

TEST(H264SkipSlice, CavlcSliceSkipsEveryMacroblockOfAReferencePFrame) {
    const auto sets = cavlc_sets();
    const Header h = read_back(skip_slice_nal(sets, SkipPicture{3, 6}), sets);
    EXPECT_EQ(h.nal_header, 0x41u);  // nal_ref_idc 2, non-IDR slice
    EXPECT_EQ(h.first_mb, 0u);
    EXPECT_EQ(h.slice_type, 5u);
    EXPECT_EQ(h.pps_id, 2u);
    EXPECT_EQ(h.frame_num, 3u);
    EXPECT_EQ(h.poc_lsb, 6u);
    EXPECT_EQ(h.override_flag, 1u);
    EXPECT_EQ(h.ref_idx, 0u);
    EXPECT_EQ(h.modification, 0u);
    EXPECT_EQ(h.marking, 0u);
    EXPECT_EQ(h.qp_delta_code, 0u);
    EXPECT_EQ(h.deblocking, 1u);
    EXPECT_EQ(h.skip_run, 300u);
    EXPECT_FALSE(h.more);
}

// A non-reference skipped picture: nal_ref_idc 0 and no dec_ref_pic_marking, its own numbers as given.
TEST(H264SkipSlice, NonReferencePictureHasNoMarking) {
    const auto sets = cavlc_sets();
    const auto nal = skip_slice_nal(sets, SkipPicture{7, 41, false});
    const auto rbsp = unescape_rbsp(std::span(nal).subspan(4));
    BitReader in(rbsp);
    EXPECT_EQ(in.bits(8), 0x01u);  // nal_ref_idc 0, non-IDR slice
    in.ue();
    EXPECT_EQ(in.ue(), 5u);
    in.ue();
    EXPECT_EQ(in.bits(sets.sps.log2_max_frame_num), 7u);
    EXPECT_EQ(in.bits(sets.sps.log2_max_poc_lsb), 41u);
    EXPECT_EQ(in.bits(1), 1u);  // num_ref_idx_active_override_flag
    EXPECT_EQ(in.ue(), 0u);
    EXPECT_EQ(in.bits(1), 0u);  // ref_pic_list_modification_flag_l0; no marking follows
    EXPECT_EQ(in.ue(), 0u);     // slice_qp_delta
    EXPECT_EQ(in.ue(), 1u);     // disable_deblocking_filter_idc
    EXPECT_EQ(in.ue(), 300u);   // mb_skip_run
    EXPECT_FALSE(in.more_rbsp_data());
}

TEST(H264SkipSlice, CabacSliceIsAlignedAndEndsInTheStopBit) {
    auto sets = cavlc_sets();
    sets.pps.cabac = true;
    const auto nal = skip_slice_nal(sets, SkipPicture{1, 2});
    ASSERT_GT(nal.size(), 6u);
    EXPECT_NE(nal.back(), 0);    // the last byte holds the flush's final 1 bit
    EXPECT_LT(nal.size(), 40u);  // 300 skipped macroblocks cost a few bytes
}

}  // namespace
}  // namespace vidgen::media::detail
