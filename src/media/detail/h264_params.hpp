// The fields of H.264 sequence and picture parameter sets (7.3.2.1, 7.3.2.2) that a slice header
// depends on, parsed from NAL units. Internal to the media module. Pure functions.
#pragma once

#include <cstdint>
#include <span>

#include "core/error.hpp"

namespace vidgen::media::detail {

struct SequenceParameters {
    int profile_idc = 0;
    int chroma_format_idc = 1;
    bool separate_colour_plane = false;
    int log2_max_frame_num = 4;
    int pic_order_cnt_type = 0;
    int log2_max_poc_lsb = 4;  // pic_order_cnt_type 0 only
    int max_num_ref_frames = 0;
    bool frame_mbs_only = true;
    int width_in_mbs = 0;
    int height_in_mbs = 0;  // of a frame: (2 − frame_mbs_only) × map units

    int chroma_array_type() const { return separate_colour_plane ? 0 : chroma_format_idc; }
    int pic_size_in_mbs() const { return width_in_mbs * height_in_mbs; }
};

struct PictureParameters {
    int pic_parameter_set_id = 0;
    int seq_parameter_set_id = 0;
    bool cabac = false;  // entropy_coding_mode_flag
    bool bottom_field_pic_order_in_frame_present = false;
    int num_ref_idx_l0_default_active = 1;
    bool weighted_pred = false;
    int pic_init_qp_minus26 = 0;
    bool deblocking_filter_control_present = false;
    bool redundant_pic_cnt_present = false;
    bool transform_8x8_mode = false;
};

// `nal` is one NAL unit without its start code (header byte first, still escaped). Fails on a unit of
// another type, on a truncated set, and on features no slice writer here supports (several slice groups,
// pic_order_cnt_type 1).
Result<SequenceParameters> parse_sps(std::span<const std::uint8_t> nal);
Result<PictureParameters> parse_pps(std::span<const std::uint8_t> nal);

struct ParameterSets {
    SequenceParameters sps;
    PictureParameters pps;
};
// The SPS and PPS of Annex B extradata (as libx264 writes it with global headers).
Result<ParameterSets> parse_parameter_sets(std::span<const std::uint8_t> annex_b);

}  // namespace vidgen::media::detail
