#include "media/detail/h264_skip_slice.hpp"

#include "media/detail/h264_bits.hpp"
#include "media/detail/h264_cabac.hpp"

namespace vidgen::media::detail {
namespace {

constexpr int kSliceTypeP = 5;  // P, and every slice of the picture is P
constexpr int kNalRefIdc = 2;   // of a reference picture
constexpr int kNalNonIdrSlice = 1;

void write_pred_weight_table(BitWriter& out, const SequenceParameters& sps) {
    out.ue(0);                                         // luma_log2_weight_denom
    if (sps.chroma_array_type() != 0) out.ue(0);       // chroma_log2_weight_denom
    out.bit(false);                                    // luma_weight_l0_flag for the one reference
    if (sps.chroma_array_type() != 0) out.bit(false);  // chroma_weight_l0_flag
}

void write_picture_order(BitWriter& out, const ParameterSets& sets, std::uint32_t poc_lsb) {
    const auto& sps = sets.sps;
    if (sps.pic_order_cnt_type != 0) return;  // type 2: derived from frame_num
    out.bits(poc_lsb, sps.log2_max_poc_lsb);
    if (sets.pps.bottom_field_pic_order_in_frame_present) out.se(0);  // delta_pic_order_cnt_bottom
}

void write_slice_header(BitWriter& out, const ParameterSets& sets, const SkipPicture& picture) {
    const auto& sps = sets.sps;
    const auto& pps = sets.pps;
    out.ue(0);  // first_mb_in_slice
    out.ue(kSliceTypeP);
    out.ue(std::uint32_t(pps.pic_parameter_set_id));
    if (sps.separate_colour_plane) out.bits(0, 2);  // colour_plane_id
    out.bits(picture.frame_num, sps.log2_max_frame_num);
    if (!sps.frame_mbs_only) out.bit(false);  // field_pic_flag: a frame
    write_picture_order(out, sets, picture.poc_lsb);
    if (pps.redundant_pic_cnt_present) out.ue(0);
    out.bit(true);   // num_ref_idx_active_override_flag
    out.ue(0);       // num_ref_idx_l0_active_minus1: the previous picture only
    out.bit(false);  // ref_pic_list_modification_flag_l0
    if (pps.weighted_pred) write_pred_weight_table(out, sps);
    if (picture.reference) out.bit(false);  // adaptive_ref_pic_marking_mode_flag: sliding window
    if (pps.cabac) out.ue(0);               // cabac_init_idc
    out.se(0);                              // slice_qp_delta
    if (pps.deblocking_filter_control_present) out.ue(1);  // disable_deblocking_filter_idc
}

// 7.3.4 with CABAC: every mb_skip_flag is 1, so each one's neighbours are skipped or absent and its
// context is always ctxIdx 11 (m 23, n 33 for cabac_init_idc 0).
void write_cabac_skips(BitWriter& out, const ParameterSets& sets) {
    out.align_one();  // cabac_alignment_one_bit
    const int slice_qp = 26 + sets.pps.pic_init_qp_minus26;
    CabacContext skip = CabacContext::init(23, 33, slice_qp);
    CabacWriter cabac(out);
    const int macroblocks = sets.sps.pic_size_in_mbs();
    for (int mb = 0; mb < macroblocks; ++mb) {
        cabac.decision(skip, 1);                 // mb_skip_flag
        cabac.terminate(mb + 1 == macroblocks);  // end_of_slice_flag; its final bit is the stop bit
    }
    out.align_zero();  // rbsp_alignment_zero_bit
}

}  // namespace

std::vector<std::uint8_t> skip_slice_nal(const ParameterSets& sets, const SkipPicture& picture) {
    BitWriter rbsp;
    rbsp.bits(((picture.reference ? kNalRefIdc : 0) << 5) | kNalNonIdrSlice, 8);
    write_slice_header(rbsp, sets, picture);
    if (sets.pps.cabac) {
        write_cabac_skips(rbsp, sets);
    } else {
        rbsp.ue(std::uint32_t(sets.sps.pic_size_in_mbs()));  // mb_skip_run
        rbsp.trailing_bits();
    }
    std::vector<std::uint8_t> nal = {0, 0, 0, 1, rbsp.bytes()[0]};
    const auto payload = escape_rbsp(std::span(rbsp.bytes()).subspan(1));
    nal.insert(nal.end(), payload.begin(), payload.end());
    return nal;
}

}  // namespace vidgen::media::detail
