// Text through Pango and Cairo: font resolution (done at plan time, never inside a render), layout with
// wrapping and auto-shrink, and rasterisation to a premultiplied ARGB32 bitmap including stroke, shadow
// and background box. Thread-safe: each thread has its own Pango font map and context (fontconfig is
// initialised once; font files are registered once per process under a mutex).
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

#include "core/error.hpp"
#include "media/bitmap.hpp"
#include "spec/model.hpp"

namespace vidgen::render {

struct TextRequest {
    const spec::TextAsset* text = nullptr;
    std::string pointer;                   // the clip's JSON Pointer, for errors and warnings
    std::filesystem::path base_dir = ".";  // font_file resolves against it
    int frame_width = 1920;
    int frame_height = 1080;
    std::optional<double> box_width;   // px; wrap at this width (and centre/align within it)
    std::optional<double> box_height;  // px; with auto_fit, shrink until the text fits
    spec::Color color{1, 1, 1, 1};     // the colour to draw with (the style's colour sampled at a time)
};

struct TextRaster {
    media::Bitmap bitmap;  // the box (or the laid-out text plus background/stroke/shadow extents)
    double font_size = 0;  // px chosen (differs from the style's when auto_fit shrank it)
    // Where the text box's top-left sits inside the bitmap (shadow and stroke may extend beyond the box).
    double origin_x = 0, origin_y = 0;
    double box_width = 0, box_height = 0;  // the box as laid out (the clip's box for placement)
    std::vector<Error> warnings;           // overflow, characters no font has (substitution: see check_font)
};

// Checks that the style's font exists (family via fontconfig, or the font file); returns warnings for a
// substituted family, an error (Code::not_found with the pointer of the font field) for a missing file.
Result<std::vector<Error>> check_font(const TextRequest& request);

Result<TextRaster> rasterize_text(const TextRequest& request);

}  // namespace vidgen::render
