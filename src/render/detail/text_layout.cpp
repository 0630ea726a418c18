#include "render/detail/text_layout.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "render/detail/text_font.hpp"

namespace vidgen::render::detail {
namespace {

// Cairo font options for layout and drawing: greyscale antialiasing, no hinting, unhinted metrics.
void set_font_options(PangoContext* context) {
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY);
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options(context, options);
    cairo_font_options_destroy(options);
}

// The calling thread's Pango context, rebuilt when a font file has been registered since it was made.
PangoContext* thread_context() {
    thread_local GObjectPtr<PangoFontMap> font_map;
    thread_local GObjectPtr<PangoContext> context;
    thread_local std::uint64_t generation = 0;
    std::uint64_t current = font_generation();
    if (!context || generation != current) {
        context.reset();
        font_map.reset(pango_cairo_font_map_new());
        context.reset(pango_font_map_create_context(font_map.get()));
        set_font_options(context.get());
        pango_context_set_round_glyph_positions(context.get(), FALSE);
        generation = current;
    }
    return context.get();
}

PangoAlignment alignment(spec::TextAlign align) {
    switch (align) {
        case spec::TextAlign::left:
            return PANGO_ALIGN_LEFT;
        case spec::TextAlign::center:
            return PANGO_ALIGN_CENTER;
        case spec::TextAlign::right:
            return PANGO_ALIGN_RIGHT;
    }
    return PANGO_ALIGN_CENTER;
}

Rect to_rect(const PangoRectangle& r) {
    return {double(r.x) / PANGO_SCALE, double(r.y) / PANGO_SCALE, double(r.width) / PANGO_SCALE,
            double(r.height) / PANGO_SCALE};
}

// Alignment is physical (as CSS's text-align): the whole text takes the direction of its first strong
// character, and Pango must not mirror left and right for right-to-left paragraphs.
void use_text_direction(PangoLayout* layout) {
    PangoLayoutLine* first = pango_layout_get_line_readonly(layout, 0);
    bool rtl = first && first->resolved_dir == PANGO_DIRECTION_RTL;
    pango_context_set_base_dir(pango_layout_get_context(layout),
                               rtl ? PANGO_DIRECTION_RTL : PANGO_DIRECTION_LTR);
    pango_layout_set_auto_dir(layout, FALSE);
    pango_layout_context_changed(layout);
}

// Letter spacing (px) and the CSS line height: every line box is line_height × size tall, the extra
// leading split above and below the glyphs.
void set_attributes(PangoLayout* layout, const spec::TextStyle& style, double size) {
    AttrListPtr attrs(pango_attr_list_new());
    if (style.letter_spacing != 0) {
        int spacing = static_cast<int>(std::lround(style.letter_spacing * PANGO_SCALE));
        pango_attr_list_insert(attrs.get(), pango_attr_letter_spacing_new(spacing));
    }
    if (style.line_height > 0) {
        int height = static_cast<int>(std::lround(style.line_height * size * PANGO_SCALE));
        pango_attr_list_insert(attrs.get(), pango_attr_line_height_new_absolute(std::max(1, height)));
    }
    pango_layout_set_attributes(layout, attrs.get());
}

}  // namespace

void set_layout_size(PangoLayout* layout, const spec::TextStyle& style, const std::string& family,
                     double size) {
    size = std::max(1.0, size);
    FontDescriptionPtr desc(pango_font_description_new());
    pango_font_description_set_family(desc.get(), family.c_str());
    pango_font_description_set_weight(desc.get(),
                                      static_cast<PangoWeight>(std::clamp(style.weight, 100, 1000)));
    pango_font_description_set_style(
        desc.get(), style.style == spec::FontStyle::italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    pango_font_description_set_absolute_size(desc.get(), size * PANGO_SCALE);
    pango_layout_set_font_description(layout, desc.get());
    set_attributes(layout, style, size);
}

GObjectPtr<PangoLayout> make_layout(const std::string& text, const spec::TextStyle& style,
                                    const std::string& family, double size,
                                    std::optional<double> wrap_width) {
    GObjectPtr<PangoLayout> layout(pango_layout_new(thread_context()));
    pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
    set_layout_size(layout.get(), style, family, size);
    pango_layout_set_alignment(layout.get(), alignment(style.align));
    use_text_direction(layout.get());
    if (wrap_width) {
        pango_layout_set_width(layout.get(),
                               std::max(1, static_cast<int>(std::lround(*wrap_width * PANGO_SCALE))));
        pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    }
    return layout;
}

LayoutExtents layout_extents(PangoLayout* layout) {
    PangoRectangle ink, logical;
    pango_layout_get_extents(layout, &ink, &logical);
    return {to_rect(ink), to_rect(logical)};
}

}  // namespace vidgen::render::detail
