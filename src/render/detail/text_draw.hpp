// Drawing a laid-out text into a bitmap: background box, blurred shadow, stroke, then fill.
// Coordinates are "box coordinates": the text box's top-left is (0, 0). Thread-safe for distinct layouts.
#pragma once

#include "media/bitmap.hpp"
#include "render/detail/text_layout.hpp"
#include "spec/model.hpp"

namespace vidgen::render::detail {

struct TextPlacement {
    double box_width = 0, box_height = 0;  // the box, background drawn over all of it
    double text_x = 0, text_y = 0;         // where the layout's origin goes
    Rect ink;                              // the layout's ink extents, relative to its origin
};

// The whole-pixel rectangle covering the box, the text's ink widened by the stroke, and the shadow.
Rect drawn_bounds(const TextPlacement& at, const spec::TextStyle& style);

// A bitmap of `bounds` (from drawn_bounds) with everything drawn; `color` fills the glyphs.
media::Bitmap draw_text(PangoLayout* layout, const TextPlacement& at, const Rect& bounds,
                        const spec::TextStyle& style, const spec::Color& color);

}  // namespace vidgen::render::detail
