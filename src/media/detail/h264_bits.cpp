#include "media/detail/h264_bits.hpp"

#include <bit>

namespace vidgen::media::detail {

void BitWriter::bits(std::uint32_t value, int count) {
    for (int i = count - 1; i >= 0; --i) {
        if (used_ == 0) bytes_.push_back(0);
        if ((value >> i) & 1u) bytes_.back() |= std::uint8_t(0x80u >> used_);
        used_ = (used_ + 1) % 8;
    }
}

void BitWriter::ue(std::uint32_t value) {
    const std::uint64_t code = std::uint64_t(value) + 1;
    const int length = std::bit_width(code);  // codeNum+1 written in `length` bits after length-1 zeros
    bits(0, length - 1);
    if (length > 32) {
        bits(std::uint32_t(code >> 32), length - 32);
        bits(std::uint32_t(code), 32);
    } else {
        bits(std::uint32_t(code), length);
    }
}

void BitWriter::se(std::int32_t value) {
    // 9.1.1: k > 0 maps to 2k-1, k ≤ 0 to -2k.
    const std::int64_t k = value;
    ue(std::uint32_t(k > 0 ? 2 * k - 1 : -2 * k));
}

void BitWriter::trailing_bits() {
    bit(true);
    align_zero();
}

void BitWriter::align_zero() {
    used_ = 0;
}

void BitWriter::align_one() {
    while (used_ != 0) bit(true);
}

std::uint32_t BitReader::bits(int count) {
    std::uint32_t value = 0;
    for (int i = 0; i < count; ++i) {
        std::uint32_t b = 0;
        if (position_ < bytes_.size() * 8) {
            b = (bytes_[position_ / 8] >> (7 - position_ % 8)) & 1u;
        } else {
            overrun_ = true;
        }
        ++position_;
        value = (value << 1) | b;
    }
    return value;
}

void put_bits(std::vector<std::uint8_t>& bytes, std::size_t position, std::uint32_t value, int count) {
    for (int i = count - 1; i >= 0; --i, ++position) {
        const auto mask = std::uint8_t(0x80u >> (position % 8));
        if ((value >> i) & 1u)
            bytes[position / 8] |= mask;
        else
            bytes[position / 8] &= std::uint8_t(~mask);
    }
}

std::uint32_t BitReader::ue() {
    int zeros = 0;
    while (!bit()) {
        if (overrun_ || ++zeros > 31) {
            overrun_ = true;
            return 0;
        }
    }
    return std::uint32_t((std::uint64_t(1) << zeros) - 1 + bits(zeros));
}

std::int32_t BitReader::se() {
    const std::uint32_t code = ue();
    const auto magnitude = std::int32_t((code + 1) / 2);
    return (code & 1u) ? magnitude : -magnitude;
}

bool BitReader::more_rbsp_data() const {
    // The last 1 bit of the RBSP is the stop bit; there is more data if it lies after the current position.
    std::size_t end = bytes_.size();
    while (end > 0 && bytes_[end - 1] == 0) --end;
    if (end == 0) return false;
    const int trailing_zeros = std::countr_zero(bytes_[end - 1]);
    const std::size_t stop_bit = end * 8 - 1 - std::size_t(trailing_zeros);
    return position_ < stop_bit;
}

std::vector<std::uint8_t> escape_rbsp(std::span<const std::uint8_t> rbsp) {
    std::vector<std::uint8_t> out;
    out.reserve(rbsp.size() + rbsp.size() / 64 + 1);
    int zeros = 0;
    for (std::uint8_t byte : rbsp) {
        if (zeros >= 2 && byte <= 3) {
            out.push_back(3);
            zeros = 0;
        }
        out.push_back(byte);
        zeros = byte == 0 ? zeros + 1 : 0;
    }
    if (zeros >= 2) out.push_back(3);  // an RBSP ending in a cabac_zero_word (7.4.1)
    return out;
}

std::vector<std::uint8_t> unescape_rbsp(std::span<const std::uint8_t> payload) {
    std::vector<std::uint8_t> out;
    out.reserve(payload.size());
    int zeros = 0;
    for (std::uint8_t byte : payload) {
        if (zeros >= 2 && byte == 3) {
            zeros = 0;
            continue;
        }
        out.push_back(byte);
        zeros = byte == 0 ? zeros + 1 : 0;
    }
    return out;
}

std::vector<std::span<const std::uint8_t>> split_annex_b(std::span<const std::uint8_t> stream) {
    std::vector<std::span<const std::uint8_t>> units;
    std::size_t start = std::size_t(-1);
    std::size_t i = 0;
    while (i + 3 <= stream.size()) {
        if (stream[i] == 0 && stream[i + 1] == 0 && stream[i + 2] == 1) {
            if (start != std::size_t(-1)) {
                std::size_t end = i;
                while (end > start && stream[end - 1] == 0) --end;  // a 4-byte start code's leading zero
                units.push_back(stream.subspan(start, end - start));
            }
            i += 3;
            start = i;
        } else {
            ++i;
        }
    }
    if (start != std::size_t(-1) && start < stream.size()) units.push_back(stream.subspan(start));
    return units;
}

}  // namespace vidgen::media::detail
