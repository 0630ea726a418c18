// The numbers at the start of an H.264 slice header (7.3.3) that place a picture in its stream: frame_num
// and pic_order_cnt_lsb, read from and moved on in access units (Annex B, as libx264 writes them), so that
// pictures written elsewhere can be inserted into an encoder's stream. Internal to the media module. Pure
// functions.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/error.hpp"
#include "media/detail/h264_params.hpp"

namespace vidgen::media::detail {

struct SliceNumbers {
    bool idr = false;
    int slice_type = 0;  // 0..9; modulo 5: 0 P, 1 B, 2 I
    std::uint32_t frame_num = 0;
    std::uint32_t poc_lsb = 0;  // pic_order_cnt_type 0 only
};

// The numbers of the first slice of `access_unit`; fails when it holds no slice.
Result<SliceNumbers> read_slice_numbers(const ParameterSets& sets, std::span<const std::uint8_t> access_unit);

// How far to move a picture's numbers on (each wraps as the SPS says).
struct SliceShift {
    std::int64_t frame_num = 0;
    std::int64_t poc_lsb = 0;  // pic_order_cnt_type 0 only
};
// `access_unit` with every slice's numbers moved on by `shift`; other NAL units are copied. The fields
// keep their width, so nothing else in the slice moves.
Result<std::vector<std::uint8_t>> shift_slice_numbers(const ParameterSets& sets,
                                                      std::span<const std::uint8_t> access_unit,
                                                      SliceShift shift);

}  // namespace vidgen::media::detail
