#include "media/detail/h264_params.hpp"

#include <optional>
#include <vector>

#include "media/detail/h264_bits.hpp"

namespace vidgen::media::detail {
namespace {

constexpr int kSpsType = 7;
constexpr int kPpsType = 8;

bool has_chroma_format(int profile_idc) {
    for (int p : {100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135})
        if (profile_idc == p) return true;
    return false;
}

// 7.3.2.1.1.1: only read to be skipped.
void skip_scaling_list(BitReader& in, int size) {
    int last = 8, next = 8;
    for (int j = 0; j < size && !in.overrun(); ++j) {
        if (next != 0) next = (last + in.se() + 256) % 256;
        last = next == 0 ? last : next;
    }
}

void read_chroma_format(BitReader& in, SequenceParameters& sps) {
    sps.chroma_format_idc = int(in.ue());
    if (sps.chroma_format_idc == 3) sps.separate_colour_plane = in.bit();
    in.ue();         // bit_depth_luma_minus8
    in.ue();         // bit_depth_chroma_minus8
    in.bit();        // qpprime_y_zero_transform_bypass_flag
    if (in.bit()) {  // seq_scaling_matrix_present_flag
        const int lists = sps.chroma_format_idc != 3 ? 8 : 12;
        for (int i = 0; i < lists; ++i)
            if (in.bit()) skip_scaling_list(in, i < 6 ? 16 : 64);
    }
}

Result<void> read_pic_order_cnt(BitReader& in, SequenceParameters& sps) {
    sps.pic_order_cnt_type = int(in.ue());
    if (sps.pic_order_cnt_type == 0) {
        sps.log2_max_poc_lsb = int(in.ue()) + 4;
    } else if (sps.pic_order_cnt_type != 2) {
        return fail(Code::unsupported, "H.264 pic_order_cnt_type 1 is not supported");
    }
    return {};
}

Result<std::vector<std::uint8_t>> rbsp_of(std::span<const std::uint8_t> nal, int type, const char* name) {
    if (nal.empty() || (nal[0] & 0x1F) != type)
        return fail(Code::invalid_argument, std::string("not an H.264 ") + name);
    return unescape_rbsp(nal.subspan(1));
}

}  // namespace

Result<SequenceParameters> parse_sps(std::span<const std::uint8_t> nal) {
    auto rbsp = rbsp_of(nal, kSpsType, "SPS");
    if (!rbsp) return std::unexpected(rbsp.error());
    BitReader in(*rbsp);
    SequenceParameters sps;
    sps.profile_idc = int(in.bits(8));
    in.bits(16);  // constraint flags, reserved bits, level_idc
    in.ue();      // seq_parameter_set_id
    if (has_chroma_format(sps.profile_idc)) read_chroma_format(in, sps);
    sps.log2_max_frame_num = int(in.ue()) + 4;
    if (auto poc = read_pic_order_cnt(in, sps); !poc) return std::unexpected(poc.error());
    sps.max_num_ref_frames = int(in.ue());
    in.bit();  // gaps_in_frame_num_value_allowed_flag
    sps.width_in_mbs = int(in.ue()) + 1;
    const int map_units = int(in.ue()) + 1;
    sps.frame_mbs_only = in.bit();
    sps.height_in_mbs = (sps.frame_mbs_only ? 1 : 2) * map_units;
    if (in.overrun() || sps.log2_max_frame_num > 16 || sps.log2_max_poc_lsb > 16)
        return fail(Code::invalid_argument, "malformed H.264 SPS");
    return sps;
}

Result<PictureParameters> parse_pps(std::span<const std::uint8_t> nal) {
    auto rbsp = rbsp_of(nal, kPpsType, "PPS");
    if (!rbsp) return std::unexpected(rbsp.error());
    BitReader in(*rbsp);
    PictureParameters pps;
    pps.pic_parameter_set_id = int(in.ue());
    pps.seq_parameter_set_id = int(in.ue());
    pps.cabac = in.bit();
    pps.bottom_field_pic_order_in_frame_present = in.bit();
    if (in.ue() != 0) return fail(Code::unsupported, "H.264 slice groups are not supported");
    pps.num_ref_idx_l0_default_active = int(in.ue()) + 1;
    in.ue();  // num_ref_idx_l1_default_active_minus1
    pps.weighted_pred = in.bit();
    in.bits(2);  // weighted_bipred_idc
    pps.pic_init_qp_minus26 = in.se();
    in.se();  // pic_init_qs_minus26
    in.se();  // chroma_qp_index_offset
    pps.deblocking_filter_control_present = in.bit();
    in.bit();  // constrained_intra_pred_flag
    pps.redundant_pic_cnt_present = in.bit();
    if (in.more_rbsp_data()) pps.transform_8x8_mode = in.bit();
    // The rest (picture scaling lists, second_chroma_qp_index_offset) does not reach a slice header.
    if (in.overrun()) return fail(Code::invalid_argument, "malformed H.264 PPS");
    return pps;
}

Result<ParameterSets> parse_parameter_sets(std::span<const std::uint8_t> annex_b) {
    std::optional<SequenceParameters> sps;
    std::optional<PictureParameters> pps;
    for (auto nal : split_annex_b(annex_b)) {
        if (nal.empty()) continue;
        const int type = nal[0] & 0x1F;
        if (type == kSpsType && !sps) {
            auto parsed = parse_sps(nal);
            if (!parsed) return std::unexpected(parsed.error());
            sps = *parsed;
        } else if (type == kPpsType && !pps) {
            auto parsed = parse_pps(nal);
            if (!parsed) return std::unexpected(parsed.error());
            pps = *parsed;
        }
    }
    if (!sps || !pps) return fail(Code::invalid_argument, "H.264 extradata lacks an SPS or a PPS");
    return ParameterSets{*sps, *pps};
}

}  // namespace vidgen::media::detail
