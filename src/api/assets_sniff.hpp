// Content sniffing for uploads: the media type of a file from its first bytes (magic numbers), so an
// asset's type never depends on what the client claimed. Only the kinds vidgen can use are recognised:
// images (JPEG, PNG, GIF, WebP, AVIF/HEIF), video (MP4/QuickTime, WebM/Matroska, AVI), audio (MP3, AAC,
// M4A, WAV, Ogg, FLAC) and fonts (TrueType, OpenType, collections, WOFF, WOFF2). Pure; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace vidgen::api {

// How many leading bytes sniff_media_type() looks at; give it at least this many when the file has them.
inline constexpr std::size_t kSniffBytes = 64;

enum class MediaKind { image, video, audio, font };
const char* media_kind_name(MediaKind kind);

struct SniffedType {
    MediaKind kind;
    std::string content_type;  // "image/png", "video/mp4", "font/ttf", …
};

// The type of a file starting with `head`, or nullopt when it is none vidgen can use.
std::optional<SniffedType> sniff_media_type(std::string_view head);

}  // namespace vidgen::api
