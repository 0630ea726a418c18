// Content hashing: a fast 64-bit hash (xxHash3) for cache keys and SHA-256 for content addresses.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vidgen {

std::uint64_t fast_hash(std::string_view bytes, std::uint64_t seed = 0);

// Lower-case hex SHA-256 of the bytes.
std::string sha256_hex(std::string_view bytes);

}  // namespace vidgen
