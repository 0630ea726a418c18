#include "media/policy.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstring>
#include <string>
#include <system_error>

#include <fmt/format.h>

namespace vidgen::media {
namespace {

bool is_forbidden_v4(const std::uint8_t* a) {
    const std::uint32_t v = (std::uint32_t(a[0]) << 24) | (std::uint32_t(a[1]) << 16) |
                            (std::uint32_t(a[2]) << 8) | std::uint32_t(a[3]);
    struct Range {
        std::uint32_t base;
        int bits;
    };
    static constexpr std::array<Range, 13> kRanges{{
        {0x00000000, 8},   // 0.0.0.0/8 "this network"
        {0x0A000000, 8},   // 10/8
        {0x64400000, 10},  // 100.64/10 CGNAT
        {0x7F000000, 8},   // 127/8 loopback
        {0xA9FE0000, 16},  // 169.254/16 link-local (cloud metadata)
        {0xAC100000, 12},  // 172.16/12
        {0xC0000000, 24},  // 192.0.0/24 IETF protocol assignments
        {0xC0A80000, 16},  // 192.168/16
        {0xC6120000, 15},  // 198.18/15 benchmarking
        {0xE0000000, 4},   // 224/4 multicast
        {0xF0000000, 4},   // 240/4 reserved
        {0xFFFFFFFF, 32},  // broadcast
        {0xC0000200, 24},  // 192.0.2/24 documentation
    }};
    for (const auto& r : kRanges) {
        const std::uint32_t mask = r.bits == 0 ? 0 : ~std::uint32_t(0) << (32 - r.bits);
        if ((v & mask) == r.base) return true;
    }
    return false;
}

bool has_prefix(const std::uint8_t* a, std::initializer_list<std::uint8_t> prefix) {
    std::size_t i = 0;
    for (std::uint8_t byte : prefix) {
        if (a[i++] != byte) return false;
    }
    return true;
}

bool is_forbidden_v6(const std::uint8_t* a) {
    static constexpr std::uint8_t kZero[16] = {};
    if (std::memcmp(a, kZero, 12) == 0) {
        // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d forms.
        return true;
    }
    if (has_prefix(a, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF})) return is_forbidden_v4(a + 12);  // mapped
    if (has_prefix(a, {0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0}))
        return is_forbidden_v4(a + 12);                              // NAT64
    if (has_prefix(a, {0x20, 0x02})) return is_forbidden_v4(a + 2);  // 6to4 embeds an IPv4 address
    if ((a[0] & 0xFE) == 0xFC) return true;                          // fc00::/7 unique local
    if (a[0] == 0xFE && (a[1] & 0xC0) == 0x80) return true;          // fe80::/10 link-local
    if (a[0] == 0xFE && (a[1] & 0xC0) == 0xC0) return true;          // fec0::/10 old site-local
    if (a[0] == 0xFF) return true;                                   // ff00::/8 multicast
    return false;
}

}  // namespace

const char* allowed_demuxers() {
    return "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,wav,mp3,ogg,flac,aac,gif";
}

Result<std::uintmax_t> check_local_file(const std::filesystem::path& path, const InputLimits& limits) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || status.type() == std::filesystem::file_type::not_found) {
        return fail(Code::not_found, fmt::format("no such file: {}", path.string()));
    }
    if (status.type() != std::filesystem::file_type::regular) {
        return fail(Code::unsupported, fmt::format("not a regular file: {}", path.string()));
    }
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) return fail(Code::io, fmt::format("cannot read the size of {}: {}", path.string(), ec.message()));
    if (size > limits.max_file_bytes) {
        return fail(Code::limit_exceeded, fmt::format("{} is {} bytes, over the limit of {}", path.string(),
                                                      size, limits.max_file_bytes));
    }
    return size;
}

bool is_forbidden_address(std::string_view address) {
    std::string text(address);
    if (text.size() > 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
    if (auto percent = text.find('%'); percent != std::string::npos) text.resize(percent);  // zone id
    std::uint8_t bytes[16];
    if (inet_pton(AF_INET, text.c_str(), bytes) == 1) return is_forbidden_v4(bytes);
    if (inet_pton(AF_INET6, text.c_str(), bytes) == 1) return is_forbidden_v6(bytes);
    return true;  // not a numeric address: never trust it
}

}  // namespace vidgen::media
