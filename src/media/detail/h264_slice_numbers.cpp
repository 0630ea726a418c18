#include "media/detail/h264_slice_numbers.hpp"

#include "media/detail/h264_bits.hpp"

namespace vidgen::media::detail {
namespace {

constexpr int kNonIdrSlice = 1;
constexpr int kIdrSlice = 5;
constexpr std::uint8_t kStartCode[] = {0, 0, 0, 1};

bool is_slice(std::span<const std::uint8_t> nal) {
    if (nal.empty()) return false;
    const int type = nal[0] & 0x1F;
    return type == kNonIdrSlice || type == kIdrSlice;
}

// Where the numbers sit in a slice's RBSP (header byte included), in bits.
struct Positions {
    SliceNumbers numbers;
    std::size_t frame_num = 0;
    std::size_t poc_lsb = 0;
};

Result<Positions> locate(const ParameterSets& sets, std::span<const std::uint8_t> rbsp) {
    const auto& sps = sets.sps;
    BitReader in(rbsp);
    Positions at;
    at.numbers.idr = (in.bits(8) & 0x1F) == kIdrSlice;
    in.ue();  // first_mb_in_slice
    at.numbers.slice_type = int(in.ue());
    in.ue();                                    // pic_parameter_set_id
    if (sps.separate_colour_plane) in.bits(2);  // colour_plane_id
    at.frame_num = in.position();
    at.numbers.frame_num = in.bits(sps.log2_max_frame_num);
    if (!sps.frame_mbs_only && in.bit())
        return fail(Code::unsupported, "H.264 field pictures are not supported");
    if (at.numbers.idr) in.ue();  // idr_pic_id
    if (sps.pic_order_cnt_type == 0) {
        at.poc_lsb = in.position();
        at.numbers.poc_lsb = in.bits(sps.log2_max_poc_lsb);
    }
    if (in.overrun() || at.numbers.slice_type > 9)
        return fail(Code::invalid_argument, "malformed H.264 slice");
    return at;
}

std::uint32_t wrapped(std::int64_t value, int log2_range) {
    const std::int64_t range = std::int64_t(1) << log2_range;
    return std::uint32_t(((value % range) + range) % range);
}

Result<void> append_shifted(const ParameterSets& sets, std::span<const std::uint8_t> nal, SliceShift shift,
                            std::vector<std::uint8_t>& out) {
    auto rbsp = unescape_rbsp(nal);
    auto at = locate(sets, rbsp);
    if (!at) return std::unexpected(at.error());
    const auto& sps = sets.sps;
    put_bits(rbsp, at->frame_num, wrapped(at->numbers.frame_num + shift.frame_num, sps.log2_max_frame_num),
             sps.log2_max_frame_num);
    if (sps.pic_order_cnt_type == 0) {
        put_bits(rbsp, at->poc_lsb, wrapped(at->numbers.poc_lsb + shift.poc_lsb, sps.log2_max_poc_lsb),
                 sps.log2_max_poc_lsb);
    }
    out.insert(out.end(), std::begin(kStartCode), std::end(kStartCode));
    out.push_back(rbsp[0]);
    const auto payload = escape_rbsp(std::span(rbsp).subspan(1));
    out.insert(out.end(), payload.begin(), payload.end());
    return {};
}

}  // namespace

Result<SliceNumbers> read_slice_numbers(const ParameterSets& sets,
                                        std::span<const std::uint8_t> access_unit) {
    for (auto nal : split_annex_b(access_unit)) {
        if (!is_slice(nal)) continue;
        auto at = locate(sets, unescape_rbsp(nal));
        if (!at) return std::unexpected(at.error());
        return at->numbers;
    }
    return fail(Code::invalid_argument, "an H.264 access unit without a slice");
}

Result<std::vector<std::uint8_t>> shift_slice_numbers(const ParameterSets& sets,
                                                      std::span<const std::uint8_t> access_unit,
                                                      SliceShift shift) {
    std::vector<std::uint8_t> out;
    out.reserve(access_unit.size() + 16);
    for (auto nal : split_annex_b(access_unit)) {
        if (is_slice(nal)) {
            if (auto shifted = append_shifted(sets, nal, shift, out); !shifted)
                return std::unexpected(shifted.error());
            continue;
        }
        out.insert(out.end(), std::begin(kStartCode), std::end(kStartCode));
        out.insert(out.end(), nal.begin(), nal.end());
    }
    return out;
}

}  // namespace vidgen::media::detail
