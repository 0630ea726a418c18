#include "render/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "render/detail/text_draw.hpp"
#include "render/detail/text_font.hpp"
#include "render/detail/text_layout.hpp"

namespace vidgen::render {
namespace {

using detail::Rect;

constexpr double kFitTolerance = 0.5;   // px a layout may exceed its box and still count as fitting
constexpr double kFitPrecision = 0.25;  // px: auto_fit stops searching when the size is this close
constexpr int kMaxBitmapSide = 16384;

// The area the text is laid out in: the box less the background's padding on each side.
struct TextArea {
    std::optional<double> width, height;
    double padding = 0;
};

TextArea text_area(const TextRequest& request) {
    const auto& background = request.text->style.background;
    TextArea area;
    area.padding = background.enabled ? std::max(0.0, background.padding) : 0;
    if (request.box_width) area.width = std::max(1.0, *request.box_width - 2 * area.padding);
    if (request.box_height) area.height = std::max(1.0, *request.box_height - 2 * area.padding);
    return area;
}

bool fits(PangoLayout* layout, const TextArea& area) {
    Rect logical = detail::layout_extents(layout).logical;
    return (!area.width || logical.width <= *area.width + kFitTolerance) &&
           (!area.height || logical.height <= *area.height + kFitTolerance);
}

// The largest size ≤ the style's (and ≥ min_size) at which the layout fits the area; the layout is
// left at that size.
double fit_size(PangoLayout* layout, const spec::TextStyle& style, const std::string& family, double size,
                const TextArea& area) {
    if (fits(layout, area)) return size;
    double lo = std::min(std::max(1.0, style.min_size), size);
    double hi = size;
    detail::set_layout_size(layout, style, family, lo);
    if (fits(layout, area)) {
        while (hi - lo > kFitPrecision) {
            double mid = (lo + hi) / 2;
            detail::set_layout_size(layout, style, family, mid);
            (fits(layout, area) ? lo : hi) = mid;
        }
    }
    detail::set_layout_size(layout, style, family, lo);
    return lo;
}

std::vector<Error> layout_warnings(PangoLayout* layout, const TextRequest& request, const TextArea& area) {
    std::vector<Error> warnings;
    std::string pointer = request.pointer + "/text";
    if (!fits(layout, area)) {
        Rect logical = detail::layout_extents(layout).logical;
        double pad = 2 * area.padding;
        warnings.push_back(
            {Code::limit_exceeded,
             fmt::format("text overflows its box: needs {:.0f}×{:.0f} px, box is {:.0f}×{:.0f}",
                         std::ceil(logical.width + pad), std::ceil(logical.height + pad),
                         area.width ? *area.width + pad : logical.width + pad,
                         area.height ? *area.height + pad : logical.height + pad),
             pointer});
    }
    if (int unknown = pango_layout_get_unknown_glyphs_count(layout); unknown > 0) {
        warnings.push_back({Code::not_found,
                            fmt::format("{} character(s) have no glyph in any installed font", unknown),
                            pointer});
    }
    return warnings;
}

// Where the layout and box sit, in box coordinates (the box's top-left is 0,0).
detail::TextPlacement place(PangoLayout* layout, const TextRequest& request, const TextArea& area) {
    auto extents = detail::layout_extents(layout);
    detail::TextPlacement at;
    at.box_width = request.box_width.value_or(extents.logical.width + 2 * area.padding);
    at.box_height = request.box_height.value_or(extents.logical.height + 2 * area.padding);
    at.text_x = area.padding - (area.width ? 0 : extents.logical.x);
    at.text_y = area.padding - extents.logical.y;
    if (area.height) at.text_y += (*area.height - extents.logical.height) / 2;
    at.ink = extents.ink;
    return at;
}

Result<void> check_utf8(const TextRequest& request) {
    const auto& text = request.text->text;
    if (g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr)) return {};
    return fail(Code::invalid_argument, "text is not valid UTF-8", request.pointer + "/text");
}

Result<void> check_bitmap_size(const Rect& bounds, const TextRequest& request) {
    if (bounds.width <= kMaxBitmapSide && bounds.height <= kMaxBitmapSide) return {};
    return fail(Code::limit_exceeded,
                fmt::format("text needs a {:.0f}×{:.0f} px bitmap; the limit is {} px a side", bounds.width,
                            bounds.height, kMaxBitmapSide),
                request.pointer + "/text");
}

}  // namespace

Result<std::vector<Error>> check_font(const TextRequest& request) {
    if (!request.text) return fail(Code::internal, "check_font without a text asset", request.pointer);
    auto family = detail::text_font_family(request);
    if (!family) return std::unexpected(family.error());
    std::vector<Error> warnings;
    if (!request.text->style.font_file.empty()) return warnings;
    if (auto used = detail::substituted_family(*family)) {
        warnings.push_back({Code::not_found, fmt::format("font '{}' not found; using '{}'", *family, *used),
                            request.pointer + "/style/font"});
    }
    return warnings;
}

Result<TextRaster> rasterize_text(const TextRequest& request) {
    if (!request.text) return fail(Code::internal, "rasterize_text without a text asset", request.pointer);
    if (auto valid = check_utf8(request); !valid) return std::unexpected(valid.error());
    auto family = detail::text_font_family(request);
    if (!family) return std::unexpected(family.error());

    const auto& style = request.text->style;
    TextArea area = text_area(request);
    double size =
        std::max(1.0, style.size.resolve(request.frame_height, request.frame_width, request.frame_height));
    auto layout = detail::make_layout(request.text->text, style, *family, size, area.width);
    if (style.auto_fit && (area.width || area.height))
        size = fit_size(layout.get(), style, *family, size, area);

    detail::TextPlacement at = place(layout.get(), request, area);
    Rect bounds = detail::drawn_bounds(at, style);
    if (auto fits = check_bitmap_size(bounds, request); !fits) return std::unexpected(fits.error());
    TextRaster raster;
    raster.font_size = size;
    raster.warnings = layout_warnings(layout.get(), request, area);
    raster.origin_x = -bounds.x;
    raster.origin_y = -bounds.y;
    raster.box_width = at.box_width;
    raster.box_height = at.box_height;
    raster.bitmap = detail::draw_text(layout.get(), at, bounds, style, request.color);
    return raster;
}

}  // namespace vidgen::render
