// zstd compression of cache values, with one compression and one decompression context per thread
// (RAII, freed when the thread ends). Internal to cache/. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace vidgen::cache::detail {

// The compressed frame, or nullopt when zstd fails or the frame would not be smaller than `raw`.
std::optional<std::string> zstd_compress(std::string_view raw, int level);

// The original bytes; `raw_size` is their known length. An error when the frame is corrupt.
Result<std::string> zstd_decompress(std::string_view frame, std::size_t raw_size);

}  // namespace vidgen::cache::detail
