#include "media/detail/h264_params.hpp"

#include <gtest/gtest.h>

#include "media/detail/encoded_stream.hpp"
#include "media/detail/frames.hpp"
#include "media/detail/h264_bits.hpp"
#include "media/runs.hpp"

namespace vidgen::media::detail {
namespace {

std::vector<std::uint8_t> nal_of(std::uint8_t header, const BitWriter& rbsp) {
    std::vector<std::uint8_t> nal = {header};
    const auto payload = escape_rbsp(rbsp.bytes());
    nal.insert(nal.end(), payload.begin(), payload.end());
    return nal;
}

// A High-profile SPS with scaling lists (which the parser must skip) and field coding allowed.
std::vector<std::uint8_t> high_profile_sps(int poc_type) {
    BitWriter out;
    out.bits(100, 8);  // profile_idc: High
    out.bits(0, 8);    // constraint flags
    out.bits(40, 8);   // level_idc
    out.ue(0);         // seq_parameter_set_id
    out.ue(1);         // chroma_format_idc 4:2:0
    out.ue(0);
    out.ue(0);
    out.bit(false);
    out.bit(true);  // seq_scaling_matrix_present_flag
    for (int i = 0; i < 8; ++i) {
        out.bit(i == 0 || i == 6);  // lists 0 (4x4) and 6 (8x8) present
        if (i == 0)
            for (int j = 0; j < 16; ++j) out.se(j % 3 - 1);
        if (i == 6) out.se(-8);  // nextScale 0: the default list, nothing more
    }
    out.ue(6);  // log2_max_frame_num_minus4
    out.ue(std::uint32_t(poc_type));
    if (poc_type == 0) out.ue(2);  // log2_max_pic_order_cnt_lsb_minus4
    out.ue(3);                     // max_num_ref_frames
    out.bit(false);
    out.ue(119);     // pic_width_in_mbs_minus1: 1920
    out.ue(33);      // pic_height_in_map_units_minus1: 34 field MB rows
    out.bit(false);  // frame_mbs_only_flag
    out.bit(true);   // mb_adaptive_frame_field_flag
    out.bit(true);   // direct_8x8_inference_flag
    out.bit(false);  // frame_cropping_flag
    out.bit(false);  // vui_parameters_present_flag
    out.trailing_bits();
    return nal_of(0x67, out);
}

std::vector<std::uint8_t> pps(bool with_8x8_tail) {
    BitWriter out;
    out.ue(3);  // pic_parameter_set_id
    out.ue(0);
    out.bit(true);  // entropy_coding_mode_flag
    out.bit(true);  // bottom_field_pic_order_in_frame_present_flag
    out.ue(0);      // num_slice_groups_minus1
    out.ue(2);      // num_ref_idx_l0_default_active_minus1
    out.ue(0);
    out.bit(true);   // weighted_pred_flag
    out.bits(2, 2);  // weighted_bipred_idc
    out.se(-5);      // pic_init_qp_minus26
    out.se(0);
    out.se(-2);
    out.bit(true);  // deblocking_filter_control_present_flag
    out.bit(false);
    out.bit(true);  // redundant_pic_cnt_present_flag
    if (with_8x8_tail) {
        out.bit(true);   // transform_8x8_mode_flag
        out.bit(false);  // pic_scaling_matrix_present_flag
        out.se(-2);      // second_chroma_qp_index_offset
    }
    out.trailing_bits();
    return nal_of(0x68, out);
}

TEST(H264Params, ParsesHighProfileSpsPastItsScalingLists) {
    auto sps = parse_sps(high_profile_sps(0));
    ASSERT_TRUE(sps) << sps.error().to_string();
    EXPECT_EQ(sps->profile_idc, 100);
    EXPECT_EQ(sps->chroma_array_type(), 1);
    EXPECT_EQ(sps->log2_max_frame_num, 10);
    EXPECT_EQ(sps->pic_order_cnt_type, 0);
    EXPECT_EQ(sps->log2_max_poc_lsb, 6);
    EXPECT_EQ(sps->max_num_ref_frames, 3);
    EXPECT_FALSE(sps->frame_mbs_only);
    EXPECT_EQ(sps->width_in_mbs, 120);
    EXPECT_EQ(sps->height_in_mbs, 68);
    EXPECT_EQ(sps->pic_size_in_mbs(), 8160);
}

TEST(H264Params, RefusesWhatNoSkipSliceCanFollow) {
    auto poc1 = parse_sps(high_profile_sps(1));
    ASSERT_FALSE(poc1);
    EXPECT_EQ(poc1.error().code, Code::unsupported);
    EXPECT_FALSE(parse_sps(pps(true)));                             // a PPS is no SPS
    EXPECT_FALSE(parse_sps(std::vector<std::uint8_t>{0x67, 100}));  // truncated
}

TEST(H264Params, ParsesPpsWithAndWithoutTheHighProfileTail) {
    for (bool tail : {false, true}) {
        auto parsed = parse_pps(pps(tail));
        ASSERT_TRUE(parsed) << parsed.error().to_string();
        EXPECT_EQ(parsed->pic_parameter_set_id, 3);
        EXPECT_TRUE(parsed->cabac);
        EXPECT_TRUE(parsed->bottom_field_pic_order_in_frame_present);
        EXPECT_EQ(parsed->num_ref_idx_l0_default_active, 3);
        EXPECT_TRUE(parsed->weighted_pred);
        EXPECT_EQ(parsed->pic_init_qp_minus26, -5);
        EXPECT_TRUE(parsed->deblocking_filter_control_present);
        EXPECT_TRUE(parsed->redundant_pic_cnt_present);
        EXPECT_EQ(parsed->transform_8x8_mode, tail);
    }
}

ParameterSets x264_sets(const char* preset, int crf) {
    EncoderSettings s;
    s.width = 200;
    s.height = 120;
    s.preset = preset;
    s.crf = crf;
    auto encoder = RunEncoder::open(s, 0);
    EXPECT_TRUE(encoder) << encoder.error().to_string();
    EXPECT_TRUE((*encoder)->finish());
    const AVCodecParameters& params = *(*encoder)->run()->impl().params;
    auto sets = parse_parameter_sets(std::span(params.extradata, std::size_t(params.extradata_size)));
    EXPECT_TRUE(sets) << sets.error().to_string();
    return sets.value_or(ParameterSets{});
}

TEST(H264Params, ReadsX264ParameterSets) {
    const auto fast = x264_sets("veryfast", 23);
    EXPECT_EQ(fast.sps.width_in_mbs, 13);
    EXPECT_EQ(fast.sps.height_in_mbs, 8);  // 120 lines round up to 8 rows, cropped
    EXPECT_EQ(fast.sps.pic_order_cnt_type, 0);
    EXPECT_TRUE(fast.pps.cabac);
    EXPECT_TRUE(fast.pps.weighted_pred);
    EXPECT_TRUE(fast.pps.deblocking_filter_control_present);

    const auto ultra = x264_sets("ultrafast", 23);
    EXPECT_EQ(ultra.sps.pic_order_cnt_type, 2);
    EXPECT_FALSE(ultra.pps.cabac);
    EXPECT_FALSE(ultra.pps.weighted_pred);

    const auto lossless = x264_sets("veryfast", 0);  // High 4:4:4 Predictive profile
    EXPECT_EQ(lossless.sps.profile_idc, 244);
    EXPECT_EQ(lossless.sps.width_in_mbs, 13);
    EXPECT_EQ(lossless.pps.pic_init_qp_minus26, -26);
}

}  // namespace
}  // namespace vidgen::media::detail
