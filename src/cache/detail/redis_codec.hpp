// How RedisCache stores a value: one tag byte, 'r' then the raw bytes, or 'z', the raw length (8 bytes,
// little-endian) and a zstd frame. Internal to cache/. Pure and thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace vidgen::cache::detail {

// Compressed when longer than `compress_above` and zstd makes it smaller.
std::string encode_redis_value(std::string_view value, std::size_t compress_above, int level);
// The original bytes; Code::internal when `stored` was not written by encode_redis_value.
Result<std::string> decode_redis_value(std::string_view stored);

}  // namespace vidgen::cache::detail
