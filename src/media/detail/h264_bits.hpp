// Bit-level reading and writing of H.264 syntax (ITU-T H.264 7.2, 9.1): fixed-width fields, Exp-Golomb
// codes, RBSP trailing bits, and the NAL unit escaping (emulation prevention) that wraps an RBSP.
// Internal to the media module. Plain values; not shared between threads.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace vidgen::media::detail {

// Writes bits most significant first into a growing byte vector.
class BitWriter {
  public:
    void bits(std::uint32_t value, int count);  // the low `count` (≤ 32) bits of value
    void bit(bool value) { bits(value ? 1 : 0, 1); }
    void ue(std::uint32_t value);  // unsigned Exp-Golomb
    void se(std::int32_t value);   // signed Exp-Golomb
    void trailing_bits();          // rbsp_stop_one_bit then zeros to the byte boundary
    void align_zero();             // zeros to the byte boundary
    void align_one();              // ones to the byte boundary (cabac_alignment_one_bit)
    bool aligned() const { return used_ == 0; }
    const std::vector<std::uint8_t>& bytes() const { return bytes_; }

  private:
    std::vector<std::uint8_t> bytes_;
    int used_ = 0;  // bits used in the last byte, 0 when aligned
};

// Reads bits most significant first; reading past the end sets `overrun()` and yields zeros.
class BitReader {
  public:
    explicit BitReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
    std::uint32_t bits(int count);  // count ≤ 32
    bool bit() { return bits(1) != 0; }
    std::uint32_t ue();
    std::int32_t se();
    bool more_rbsp_data() const;                        // 7.2: anything before the rbsp_stop_one_bit
    std::size_t position() const { return position_; }  // bits read so far
    bool overrun() const { return overrun_; }

  private:
    std::span<const std::uint8_t> bytes_;
    std::size_t position_ = 0;  // in bits
    bool overrun_ = false;
};

// Overwrites `count` (≤ 32) bits of `bytes` from bit `position` (most significant first) with `value`.
void put_bits(std::vector<std::uint8_t>& bytes, std::size_t position, std::uint32_t value, int count);

// RBSP → NAL unit payload: inserts 0x03 after two zero bytes when the next byte is ≤ 3, and at the end
// when the RBSP ends in two zero bytes.
std::vector<std::uint8_t> escape_rbsp(std::span<const std::uint8_t> rbsp);
// NAL unit payload → RBSP: drops each 0x03 that follows two zero bytes.
std::vector<std::uint8_t> unescape_rbsp(std::span<const std::uint8_t> payload);

// The NAL units of an Annex B byte stream (3- or 4-byte start codes), without their start codes.
std::vector<std::span<const std::uint8_t>> split_annex_b(std::span<const std::uint8_t> stream);

}  // namespace vidgen::media::detail
