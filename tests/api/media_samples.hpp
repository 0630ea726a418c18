// Small media files for the asset, metadata and media tests, made at run time (images with the media
// module's saver, a WAV by hand) or read from the repository (tests/data/media/rotated.mp4, a DejaVu font),
// and a builder of multipart/form-data bodies. Fails the calling test on error.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

#include "media/bitmap.hpp"
#include "media/image.hpp"

namespace vidgen::api::testing {

inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    EXPECT_TRUE(in) << "cannot read " << path;
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A `width` × `height` image in the format of `name`'s extension (png, jpg, webp), written under `dir`.
inline std::string image_bytes(const std::filesystem::path& dir, std::string_view name, int width,
                               int height) {
    media::Bitmap bitmap(width, height);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x)
            bitmap.row(y)[x] = 0xFF000000u | std::uint32_t(x * 4) << 8 | std::uint32_t(y);
    }
    auto saved = media::save_image(bitmap, dir / name);
    EXPECT_TRUE(saved) << saved.error().to_string();
    return read_file(dir / name);
}

// `bytes` of silence (0.1 s by default): 8 kHz mono 16-bit PCM in a RIFF/WAVE file.
inline std::string wav_bytes(std::uint32_t bytes = 1600) {
    auto le32 = [](std::uint32_t v) {
        return std::string{char(v & 0xFF), char(v >> 8 & 0xFF), char(v >> 16 & 0xFF), char(v >> 24 & 0xFF)};
    };
    auto le16 = [](std::uint16_t v) { return std::string{char(v & 0xFF), char(v >> 8)}; };
    std::string data(bytes & ~1u, '\0');
    return "RIFF" + le32(36 + std::uint32_t(data.size())) + "WAVE" + "fmt " + le32(16) + le16(1) + le16(1) +
           le32(8000) + le32(16000) + le16(2) + le16(16) + "data" + le32(std::uint32_t(data.size())) + data;
}

// 1 s of 64×32 H.264 in MP4.
inline std::string mp4_bytes() {
    return read_file(std::filesystem::path(VIDGEN_TEST_DATA) / "media" / "rotated.mp4");
}

inline std::string font_bytes() {
    return read_file("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
}

inline constexpr std::string_view kBoundary = "----vidgen-test-7MA4YWxkTrZu0gW";

// One multipart/form-data part; `filename` empty for a plain field.
inline std::string form_part(std::string_view name, std::string_view filename, std::string_view content_type,
                             std::string_view body) {
    std::string part = "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; name=\"" +
                       std::string(name) + "\"";
    if (!filename.empty()) part += "; filename=\"" + std::string(filename) + "\"";
    part += "\r\n";
    if (!content_type.empty()) part += "Content-Type: " + std::string(content_type) + "\r\n";
    return part + "\r\n" + std::string(body) + "\r\n";
}

inline std::string form_end() {
    return "--" + std::string(kBoundary) + "--\r\n";
}

inline std::string form_content_type() {
    return "multipart/form-data; boundary=" + std::string(kBoundary);
}

}  // namespace vidgen::api::testing
