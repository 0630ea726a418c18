// Test inputs written byte by byte (PNG via zlib) and a per-test temporary directory.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/scratch_dir.hpp"

namespace vidgen::media::testing {

// A fresh directory under the system temp dir, removed with its contents on destruction.
class TempDir {
  public:
    std::filesystem::path operator/(std::string_view name) const { return dir_.path() / name; }

  private:
    ScratchDir dir_ = *ScratchDir::create("vidgen-media");
};

inline void write_bytes(const std::filesystem::path& path, std::string_view bytes) {
    std::ofstream(path, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
}

inline void put_u32(std::string& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(char((v >> shift) & 0xFF));
}

inline void put_chunk(std::string& out, std::string_view type, std::string_view data) {
    put_u32(out, std::uint32_t(data.size()));
    std::string body(type);
    body.append(data);
    out.append(body);
    put_u32(out, std::uint32_t(crc32(0, reinterpret_cast<const Bytef*>(body.data()), uInt(body.size()))));
}

// An 8-bit RGBA PNG whose header claims `width` × `height`; `rgba` holds the real rows (may be fewer).
inline std::string png_bytes(std::uint32_t width, std::uint32_t height, const std::vector<std::uint8_t>& rgba,
                             std::uint32_t real_rows) {
    std::string out("\x89PNG\r\n\x1a\n", 8);
    std::string ihdr;
    put_u32(ihdr, width);
    put_u32(ihdr, height);
    ihdr.append(std::string("\x08\x06\x00\x00\x00", 5));
    put_chunk(out, "IHDR", ihdr);
    std::string raw;
    const std::size_t row_bytes = std::size_t(width) * 4;
    for (std::uint32_t y = 0; y < real_rows; ++y) {
        raw.push_back('\0');
        raw.append(reinterpret_cast<const char*>(rgba.data()) + y * row_bytes, row_bytes);
    }
    std::vector<Bytef> packed(compressBound(uLong(raw.size())));
    uLongf packed_size = uLongf(packed.size());
    compress(packed.data(), &packed_size, reinterpret_cast<const Bytef*>(raw.data()), uLong(raw.size()));
    put_chunk(out, "IDAT", std::string_view(reinterpret_cast<const char*>(packed.data()), packed_size));
    put_chunk(out, "IEND", {});
    return out;
}

// A complete width × height RGBA PNG filled with one straight-alpha colour.
inline std::string solid_png(std::uint32_t width, std::uint32_t height, std::uint8_t r, std::uint8_t g,
                             std::uint8_t b, std::uint8_t a) {
    std::vector<std::uint8_t> rgba;
    for (std::uint32_t i = 0; i < width * height; ++i) rgba.insert(rgba.end(), {r, g, b, a});
    return png_bytes(width, height, rgba, height);
}

}  // namespace vidgen::media::testing
