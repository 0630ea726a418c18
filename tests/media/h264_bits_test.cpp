#include "media/detail/h264_bits.hpp"

#include <gtest/gtest.h>

#include <string>

namespace vidgen::media::detail {
namespace {

using Bytes = std::vector<std::uint8_t>;

// The written bits as a string of 0 and 1, `count` long.
std::string bit_string(const BitWriter& out, std::size_t count) {
    std::string s;
    for (std::size_t i = 0; i < count; ++i) s += ((out.bytes()[i / 8] >> (7 - i % 8)) & 1) ? '1' : '0';
    return s;
}

TEST(H264Bits, WritesExpGolombCodesOfTheStandard) {
    // ITU-T H.264 table 9-2 and 9-3.
    const struct {
        std::uint32_t value;
        const char* code;
    } unsigned_codes[] = {{0, "1"}, {1, "010"}, {2, "011"}, {3, "00100"}, {6, "00111"}, {7, "0001000"}};
    for (auto c : unsigned_codes) {
        BitWriter out;
        out.ue(c.value);
        EXPECT_EQ(bit_string(out, std::string(c.code).size()), c.code) << c.value;
    }
    const struct {
        std::int32_t value;
        const char* code;
    } signed_codes[] = {{0, "1"}, {1, "010"}, {-1, "011"}, {2, "00100"}, {-2, "00101"}, {3, "00110"}};
    for (auto c : signed_codes) {
        BitWriter out;
        out.se(c.value);
        EXPECT_EQ(bit_string(out, std::string(c.code).size()), c.code) << c.value;
    }
}

TEST(H264Bits, ReadsBackWhatItWrites) {
    const std::uint32_t unsigned_values[] = {0, 1, 5, 255, 256, 65535, 1u << 20, 0xFFFFFFFEu};
    const std::int32_t signed_values[] = {0, 1, -1, 26, -26, 1000000, -1000000};
    BitWriter out;
    out.bits(0x5, 3);
    for (auto v : unsigned_values) out.ue(v);
    for (auto v : signed_values) out.se(v);
    out.bits(0xDEADBEEF, 32);
    out.trailing_bits();
    BitReader in(out.bytes());
    EXPECT_EQ(in.bits(3), 0x5u);
    for (auto v : unsigned_values) EXPECT_EQ(in.ue(), v);
    for (auto v : signed_values) EXPECT_EQ(in.se(), v);
    EXPECT_EQ(in.bits(32), 0xDEADBEEFu);
    EXPECT_FALSE(in.more_rbsp_data());
    EXPECT_FALSE(in.overrun());
}

TEST(H264Bits, AlignsWithZerosOrOnes) {
    BitWriter out;
    out.bits(1, 1);
    out.align_one();
    EXPECT_TRUE(out.aligned());
    out.bits(1, 3);
    out.trailing_bits();
    EXPECT_EQ(out.bytes(), (Bytes{0xFF, 0x30}));
}

TEST(H264Bits, ReaderKnowsWhereTheStopBitIs) {
    const Bytes rbsp = {0xA0, 0x80, 0x00};  // 1010 0000 | stop bit, then zero padding
    BitReader in(rbsp);
    EXPECT_TRUE(in.more_rbsp_data());
    in.bits(8);
    EXPECT_FALSE(in.more_rbsp_data());
    EXPECT_FALSE(in.overrun());
    in.bits(30);
    EXPECT_TRUE(in.overrun());
}

TEST(H264Bits, EscapesStartCodeEmulation) {
    const struct {
        Bytes rbsp, payload;
    } cases[] = {
        {{0, 0, 0}, {0, 0, 3, 0}},
        {{0, 0, 0, 0}, {0, 0, 3, 0, 0, 3}},  // a final 0x0000 is protected too
        {{0, 0, 1}, {0, 0, 3, 1}},
        {{0, 0, 2, 0, 0, 3}, {0, 0, 3, 2, 0, 0, 3, 3}},
        {{0, 0, 4, 0, 0}, {0, 0, 4, 0, 0, 3}},
        {{1, 0, 0, 0, 0, 5}, {1, 0, 0, 3, 0, 0, 5}},
        {{0x12, 0x34}, {0x12, 0x34}},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(escape_rbsp(c.rbsp), c.payload);
        EXPECT_EQ(unescape_rbsp(c.payload), c.rbsp);
    }
}

TEST(H264Bits, SplitsAnnexBAtThreeAndFourByteStartCodes) {
    const Bytes stream = {0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 1, 0x65};
    const auto units = split_annex_b(stream);
    ASSERT_EQ(units.size(), 3u);
    EXPECT_EQ(Bytes(units[0].begin(), units[0].end()), (Bytes{0x67, 1, 2}));
    EXPECT_EQ(Bytes(units[1].begin(), units[1].end()), (Bytes{0x68, 3}));
    EXPECT_EQ(Bytes(units[2].begin(), units[2].end()), (Bytes{0x65}));
    EXPECT_TRUE(split_annex_b(Bytes{1, 2, 3}).empty());
}

}  // namespace
}  // namespace vidgen::media::detail
