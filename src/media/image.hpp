// Still images through libvips: header-only probing, and decoding with shrink-on-load straight to the
// size they are drawn at. Formats: JPEG, PNG, WebP, AVIF/HEIF and GIF (first frame); nothing else.
// Thread-safe (libvips is); call init_images() once before threads start.
#pragma once

#include <filesystem>

#include "core/error.hpp"
#include "media/bitmap.hpp"
#include "media/policy.hpp"

namespace vidgen::media {

// Starts libvips (idempotent). Returns an error when libvips cannot start.
Result<void> init_images();

struct ImageInfo {
    int width = 0;
    int height = 0;
    bool has_alpha = false;
    std::string format;  // "jpeg", "png", "webp", "heif", "gif"
};

// Reads only the header; refuses images over the pixel limits or in formats outside the list above.
Result<ImageInfo> probe_image(const std::filesystem::path& path, const InputLimits& limits = {});

// Decodes the image resized to exactly `width` × `height` (aspect ratio not preserved: the caller decides
// the fit), using shrink-on-load, with EXIF orientation applied. Premultiplied ARGB32.
Result<Bitmap> load_image(const std::filesystem::path& path, int width, int height,
                          const InputLimits& limits = {});

// A Gaussian-blurred copy (sigma in px), for the contain-blur fit.
Bitmap blur(const Bitmap& source, double sigma);

// Encodes a bitmap as PNG, JPEG or WebP by the path's extension (quality for lossy formats, 1..100).
Result<void> save_image(const Bitmap& bitmap, const std::filesystem::path& path, int quality = 90);

}  // namespace vidgen::media
