#include "api/assets_sniff.hpp"

#include <array>

namespace vidgen::api {
namespace {

struct Magic {
    std::size_t offset;
    std::string_view bytes;
    MediaKind kind;
    std::string_view content_type;
};

using namespace std::string_view_literals;

// Checked in order; the first match wins. ISO BMFF (ftyp) and RIFF files are told apart by their brand.
constexpr std::array kMagics{
    Magic{0, "\xFF\xD8\xFF"sv, MediaKind::image, "image/jpeg"},
    Magic{0, "\x89PNG\r\n\x1A\n"sv, MediaKind::image, "image/png"},
    Magic{0, "GIF87a"sv, MediaKind::image, "image/gif"},
    Magic{0, "GIF89a"sv, MediaKind::image, "image/gif"},
    Magic{8, "WEBP"sv, MediaKind::image, "image/webp"},
    Magic{8, "AVI "sv, MediaKind::video, "video/x-msvideo"},
    Magic{8, "WAVE"sv, MediaKind::audio, "audio/wav"},
    Magic{0, "\x1A\x45\xDF\xA3"sv, MediaKind::video, "video/x-matroska"},
    Magic{0, "ID3"sv, MediaKind::audio, "audio/mpeg"},
    Magic{0, "OggS"sv, MediaKind::audio, "audio/ogg"},
    Magic{0, "fLaC"sv, MediaKind::audio, "audio/flac"},
    Magic{0, "\x00\x01\x00\x00"sv, MediaKind::font, "font/ttf"},
    Magic{0, "true"sv, MediaKind::font, "font/ttf"},
    Magic{0, "OTTO"sv, MediaKind::font, "font/otf"},
    Magic{0, "ttcf"sv, MediaKind::font, "font/collection"},
    Magic{0, "wOFF"sv, MediaKind::font, "font/woff"},
    Magic{0, "wOF2"sv, MediaKind::font, "font/woff2"},
};

struct Brand {
    std::string_view brand;
    MediaKind kind;
    std::string_view content_type;
};

constexpr std::array kBrands{
    Brand{"avif", MediaKind::image, "image/avif"},      Brand{"avis", MediaKind::image, "image/avif"},
    Brand{"heic", MediaKind::image, "image/heic"},      Brand{"heix", MediaKind::image, "image/heic"},
    Brand{"mif1", MediaKind::image, "image/heif"},      Brand{"msf1", MediaKind::image, "image/heif"},
    Brand{"M4A ", MediaKind::audio, "audio/mp4"},       Brand{"M4B ", MediaKind::audio, "audio/mp4"},
    Brand{"qt  ", MediaKind::video, "video/quicktime"},
};

bool has_at(std::string_view head, std::size_t offset, std::string_view bytes) {
    return head.size() >= offset + bytes.size() && head.substr(offset, bytes.size()) == bytes;
}

// ISO base media files ("....ftyp<brand>"): images and audio by brand, every other brand is video/mp4.
std::optional<SniffedType> sniff_iso_bmff(std::string_view head) {
    if (!has_at(head, 4, "ftyp") || head.size() < 12) return std::nullopt;
    std::string_view brand = head.substr(8, 4);
    for (const Brand& known : kBrands) {
        if (known.brand == brand) return SniffedType{known.kind, std::string(known.content_type)};
    }
    return SniffedType{MediaKind::video, "video/mp4"};
}

// WebM is Matroska whose DocType says "webm" within the EBML header.
bool is_webm(std::string_view head) {
    return head.find("webm") != std::string_view::npos;
}

// MPEG audio frames start with 11 set sync bits; layer bits 00 in an ADTS header mean AAC.
std::optional<SniffedType> sniff_mpeg_audio(std::string_view head) {
    if (head.size() < 2) return std::nullopt;
    auto first = static_cast<unsigned char>(head[0]);
    auto second = static_cast<unsigned char>(head[1]);
    if (first != 0xFF || (second & 0xE0) != 0xE0) return std::nullopt;
    if ((second & 0x06) == 0) return SniffedType{MediaKind::audio, "audio/aac"};
    return SniffedType{MediaKind::audio, "audio/mpeg"};
}

}  // namespace

const char* media_kind_name(MediaKind kind) {
    switch (kind) {
        case MediaKind::image:
            return "image";
        case MediaKind::video:
            return "video";
        case MediaKind::audio:
            return "audio";
        case MediaKind::font:
            return "font";
    }
    return "unknown";
}

std::optional<SniffedType> sniff_media_type(std::string_view head) {
    if (auto iso = sniff_iso_bmff(head)) return iso;
    for (const Magic& magic : kMagics) {
        if (!has_at(head, magic.offset, magic.bytes)) continue;
        if (magic.offset == 8 && !has_at(head, 0, "RIFF")) continue;
        if (magic.content_type == "video/x-matroska" && is_webm(head))
            return SniffedType{MediaKind::video, "video/webm"};
        return SniffedType{magic.kind, std::string(magic.content_type)};
    }
    return sniff_mpeg_audio(head);
}

}  // namespace vidgen::api
