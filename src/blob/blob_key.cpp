#include "blob/blob_key.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace vidgen::blob {
namespace {

constexpr std::size_t kHashLength = 64;
constexpr std::size_t kMaxExtension = 8;
constexpr std::size_t kMaxContentType = 255;

constexpr std::array<std::pair<std::string_view, std::string_view>, 27> kExtensions{{
    {"video/mp4", "mp4"},         {"video/webm", "webm"},      {"video/quicktime", "mov"},
    {"video/mp2t", "ts"},         {"video/x-matroska", "mkv"}, {"image/gif", "gif"},
    {"image/png", "png"},         {"image/jpeg", "jpg"},       {"image/webp", "webp"},
    {"image/avif", "avif"},       {"image/svg+xml", "svg"},    {"audio/mpeg", "mp3"},
    {"audio/mp4", "m4a"},         {"audio/aac", "aac"},        {"audio/ogg", "ogg"},
    {"audio/opus", "opus"},       {"audio/flac", "flac"},      {"audio/wav", "wav"},
    {"audio/x-wav", "wav"},       {"audio/wave", "wav"},       {"application/vnd.apple.mpegurl", "m3u8"},
    {"application/json", "json"}, {"text/plain", "txt"},       {"text/csv", "csv"},
    {"font/ttf", "ttf"},          {"font/otf", "otf"},         {"font/woff2", "woff2"},
}};

bool is_hex_lower(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}
bool is_extension_char(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// "Video/MP4; codecs=avc1" -> "video/mp4"
std::string essence(std::string_view content_type) {
    std::string out(trim(content_type.substr(0, content_type.find(';'))));
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
    return out;
}

}  // namespace

Result<void> validate_key(std::string_view key) {
    bool ok = key.size() == kHashLength ||
              (key.size() >= kHashLength + 2 && key.size() <= kHashLength + 1 + kMaxExtension &&
               key[kHashLength] == '.');
    ok = ok && std::all_of(key.begin(), key.begin() + kHashLength, is_hex_lower);
    if (ok && key.size() > kHashLength) {
        ok = std::all_of(key.begin() + kHashLength + 1, key.end(), is_extension_char);
    }
    if (!ok)
        return fail(Code::invalid_argument, "not a blob key (64 lower-case hex digits and an extension)");
    return {};
}

std::string extension_for(std::string_view content_type) {
    std::string type = essence(content_type);
    for (const auto& [mime, extension] : kExtensions) {
        if (mime == type) return std::string(extension);
    }
    return {};
}

Result<std::string> normalise_content_type(std::string_view content_type) {
    std::string_view trimmed = trim(content_type);
    if (trimmed.empty()) return std::string("application/octet-stream");
    if (trimmed.size() > kMaxContentType) return fail(Code::invalid_argument, "content type is too long");
    bool printable =
        std::all_of(trimmed.begin(), trimmed.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
    if (!printable)
        return fail(Code::invalid_argument, "content type holds characters other than ASCII text");
    return std::string(trimmed);
}

std::string make_key(std::string_view sha256_hex, std::string_view content_type) {
    std::string key(sha256_hex);
    std::string extension = extension_for(content_type);
    if (!extension.empty()) key += "." + extension;
    return key;
}

}  // namespace vidgen::blob
