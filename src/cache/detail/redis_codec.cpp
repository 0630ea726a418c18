#include "cache/detail/redis_codec.hpp"

#include <cstdint>

#include "cache/detail/zstd_codec.hpp"

namespace vidgen::cache::detail {
namespace {

constexpr char kRaw = 'r';
constexpr char kZstd = 'z';
constexpr std::size_t kSizeBytes = 8;

}  // namespace

std::string encode_redis_value(std::string_view value, std::size_t compress_above, int level) {
    if (value.size() > compress_above) {
        if (auto frame = zstd_compress(value, level)) {
            std::string stored(1, kZstd);
            auto size = static_cast<std::uint64_t>(value.size());
            for (std::size_t i = 0; i < kSizeBytes; ++i) stored.push_back(static_cast<char>(size >> (8 * i)));
            return stored + *frame;
        }
    }
    std::string stored(1, kRaw);
    return stored.append(value);
}

Result<std::string> decode_redis_value(std::string_view stored) {
    if (!stored.empty() && stored.front() == kRaw) return std::string(stored.substr(1));
    if (stored.size() <= 1 + kSizeBytes || stored.front() != kZstd) {
        return fail(Code::internal, "redis cache: a stored value in an unknown format");
    }
    std::uint64_t size = 0;
    for (std::size_t i = 0; i < kSizeBytes; ++i) {
        size |= static_cast<std::uint64_t>(static_cast<unsigned char>(stored[1 + i])) << (8 * i);
    }
    return zstd_decompress(stored.substr(1 + kSizeBytes), size);
}

}  // namespace vidgen::cache::detail
