// Rasterising a clip's generated content (text, shape) at a colour, shared by planning (static content,
// rasterised once) and compositing (content whose colour animates, rasterised per frame).
// Thread-safe: no shared state.
#pragma once

#include <filesystem>
#include <memory>

#include "core/error.hpp"
#include "media/bitmap.hpp"
#include "render/layout.hpp"
#include "render/text.hpp"
#include "spec/model.hpp"

namespace vidgen::render {

struct PlannedClip;

// Pixels and where they sit in the clip's box (box px).
struct Content {
    std::shared_ptr<const media::Bitmap> bitmap;
    Rect rect;
};

// The text request for a text clip; box_w/box_h are the layout's width/height when given.
TextRequest text_request(const PlannedClip& clip, const std::filesystem::path& base_dir, int frame_w,
                         int frame_h, const spec::Color& color);

// Where a text raster sits relative to its laid-out box.
Rect text_rect(const TextRaster& raster);

// The shape of a shape clip drawn into its box at `fill`.
Content shape_content(const PlannedClip& clip, const spec::Color& fill);

// Text or shape content at `color` (the sampled text colour or shape fill).
Result<Content> generated_content(const PlannedClip& clip, const std::filesystem::path& base_dir, int frame_w,
                                  int frame_h, const spec::Color& color);

}  // namespace vidgen::render
