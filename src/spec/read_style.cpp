#include "spec/detail/read.hpp"

namespace vidgen::spec::detail {
namespace {

std::optional<int> read_weight(const Node& node) {
    if (!node.is_string()) {
        auto weight = node.integer({100, 900});
        if (weight) return static_cast<int>(*weight);
        return std::nullopt;
    }
    return node.choice<int>({
        {"thin", 100},
        {"light", 300},
        {"normal", 400},
        {"medium", 500},
        {"semibold", 600},
        {"bold", 700},
        {"black", 900},
    });
}

Shadow read_shadow(const Node& node) {
    Shadow shadow;
    if (!node.object()) return shadow;
    static constexpr std::string_view kKeys[] = {"color", "x", "y", "blur"};
    node.only_keys(kKeys);
    shadow.enabled = true;
    if (auto color = read_color(node["color"])) shadow.color = *color;
    if (auto x = node["x"].number({-1000, 1000})) shadow.x = *x;
    if (auto y = node["y"].number({-1000, 1000})) shadow.y = *y;
    if (auto blur = node["blur"].number({0, 1000})) shadow.blur = *blur;
    return shadow;
}

TextBackground read_background(const Node& node) {
    TextBackground background;
    if (!node.object()) return background;
    static constexpr std::string_view kKeys[] = {"color", "padding", "radius"};
    node.only_keys(kKeys);
    background.enabled = true;
    background.color = Color{0, 0, 0, 0.5};
    if (auto color = read_color(node["color"])) background.color = *color;
    if (auto padding = node["padding"].number({0, 1000})) background.padding = *padding;
    if (auto radius = node["radius"].number({0, 1000})) background.radius = *radius;
    return background;
}

void read_font(const Node& node, TextStyle& style) {
    if (auto family = node["font"].string(256)) style.family = std::string(*family);
    if (auto file = node["font_file"].string()) {
        style.font_file = std::string(*file);
        check_source(node["font_file"], *file);
    }
    if (auto weight = read_weight(node["weight"])) style.weight = *weight;
    auto italic =
        node["style"].choice<FontStyle>({{"normal", FontStyle::normal}, {"italic", FontStyle::italic}});
    if (italic) style.style = *italic;
    if (auto size = read_length(node["size"], {.min = 0, .min_exclusive = true})) style.size = *size;
}

}  // namespace

TextStyle read_style(const Node& node) {
    TextStyle style;
    static constexpr std::string_view kKeys[] = {
        "font",           "font_file", "weight",   "style",    "size",   "color",  "line_height",
        "letter_spacing", "align",     "auto_fit", "min_size", "stroke", "shadow", "background"};
    node.only_keys(kKeys);
    read_font(node, style);
    if (auto color = read_animated_color(node["color"])) style.color = *color;
    if (auto line_height = node["line_height"].number({.min = 0, .max = 10, .min_exclusive = true}))
        style.line_height = *line_height;
    if (auto spacing = node["letter_spacing"].number({-1000, 1000})) style.letter_spacing = *spacing;
    auto align = node["align"].choice<TextAlign>(
        {{"left", TextAlign::left}, {"center", TextAlign::center}, {"right", TextAlign::right}});
    if (align) style.align = *align;
    if (auto auto_fit = node["auto_fit"].boolean()) style.auto_fit = *auto_fit;
    if (auto min_size = node["min_size"].number({.min = 0, .max = 10000, .min_exclusive = true}))
        style.min_size = *min_size;
    style.stroke = read_stroke(node["stroke"], Stroke{});
    style.shadow = read_shadow(node["shadow"]);
    style.background = read_background(node["background"]);
    return style;
}

Stroke read_stroke(const Node& node, Stroke fallback) {
    if (!node.object()) return fallback;
    static constexpr std::string_view kKeys[] = {"color", "width"};
    node.only_keys(kKeys);
    Stroke stroke = fallback;
    if (stroke.width == 0) stroke.width = 2;  // a stroke that is asked for is visible by default
    if (auto color = read_color(node["color"])) stroke.color = *color;
    if (auto width = node["width"].number({0, 1000})) stroke.width = *width;
    return stroke;
}

AudioProps read_audio_props(const Node& holder) {
    AudioProps audio;
    double max = holder.limits().max_duration;
    if (auto volume = holder["volume"].number({0, 4})) audio.volume = *volume;
    if (auto fade_in = holder["fade_in"].number({0, max})) audio.fade_in = *fade_in;
    if (auto fade_out = holder["fade_out"].number({0, max})) audio.fade_out = *fade_out;
    return audio;
}

std::optional<Source> read_source(const Node& node) {
    auto uri = node.string();
    if (!uri) return std::nullopt;
    check_source(node, *uri);
    return Source{std::string(*uri), node.pointer()};
}

}  // namespace vidgen::spec::detail
