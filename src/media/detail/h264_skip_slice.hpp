// A whole-picture H.264 P slice in which every macroblock is P_Skip: a copy of the previous reference
// picture. Written directly from the stream's parameter sets (7.3.3, 7.3.4, 9.3), no encoder involved.
// Internal to the media module. Pure function.
#pragma once

#include <cstdint>
#include <vector>

#include "media/detail/h264_params.hpp"

namespace vidgen::media::detail {

// The NAL unit (4-byte start code, escaped payload) of a skipped picture placed by its own numbers (already
// wrapped as the SPS says): `frame_num` one after the previous reference picture's, which it copies, and
// `poc_lsb` its pic_order_cnt_lsb (ignored for pic_order_cnt_type 2). A reference picture advances frame_num
// for the pictures after it and takes a place in the decoded picture buffer; a non-reference one (nal_ref_idc
// 0) does neither.
struct SkipPicture {
    std::uint32_t frame_num = 0;
    std::uint32_t poc_lsb = 0;
    bool reference = true;
};
std::vector<std::uint8_t> skip_slice_nal(const ParameterSets& sets, const SkipPicture& picture);

}  // namespace vidgen::media::detail
