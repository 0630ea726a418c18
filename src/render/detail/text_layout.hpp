// Pango layouts for text requests, built on the calling thread's own font map and context (so layouts
// are never shared between threads), with hinting off so that sizes scale smoothly. Thread-safe.
#pragma once

#include <optional>
#include <string>

#include "render/detail/text_handles.hpp"
#include "spec/model.hpp"

namespace vidgen::render::detail {

struct Rect {
    double x = 0, y = 0, width = 0, height = 0;  // px
};

struct LayoutExtents {
    Rect ink;      // pixels actually covered by glyphs
    Rect logical;  // the layout's line boxes
};

// A layout of `text` (valid UTF-8) in `family` at `size` px with the style's weight, slant, letter
// spacing, line height and alignment; wrapped at `wrap_width` px when given.
GObjectPtr<PangoLayout> make_layout(const std::string& text, const spec::TextStyle& style,
                                    const std::string& family, double size, std::optional<double> wrap_width);

// Changes the font size of a layout made by make_layout.
void set_layout_size(PangoLayout* layout, const spec::TextStyle& style, const std::string& family,
                     double size);

LayoutExtents layout_extents(PangoLayout* layout);

}  // namespace vidgen::render::detail
