#include <fmt/format.h>

#include <boost/json.hpp>

#include <algorithm>
#include <vector>

#include "spec/detail/read.hpp"

namespace vidgen::spec::detail {
namespace {

enum class Kind { image, video, text, shape, color, audio };

constexpr std::string_view kKindNames[] = {"image", "video", "text", "shape", "color", "audio"};
constexpr std::string_view kCommonKeys[] = {"type", "start", "length"};
constexpr std::string_view kVisualKeys[] = {"position", "x",      "y",      "width",
                                            "height",   "fit",    "scale",  "rotation",
                                            "opacity",  "radius", "effect", "transition"};
constexpr std::string_view kMediaKeys[] = {"src", "trim", "speed", "loop", "volume", "fade_in", "fade_out"};
constexpr std::string_view kImageKeys[] = {"src"};
constexpr std::string_view kTextKeys[] = {"text", "style"};
constexpr std::string_view kShapeKeys[] = {"shape", "fill", "stroke"};
constexpr std::string_view kColorKeys[] = {"color"};

std::vector<std::string_view> keys_of(Kind kind) {
    std::vector<std::string_view> keys(std::begin(kCommonKeys), std::end(kCommonKeys));
    auto add = [&](std::span<const std::string_view> more) {
        keys.insert(keys.end(), more.begin(), more.end());
    };
    if (kind != Kind::audio) add(kVisualKeys);
    switch (kind) {
        case Kind::image:
            add(kImageKeys);
            break;
        case Kind::video:
        case Kind::audio:
            add(kMediaKeys);
            break;
        case Kind::text:
            add(kTextKeys);
            break;
        case Kind::shape:
            add(kShapeKeys);
            break;
        case Kind::color:
            add(kColorKeys);
            break;
    }
    return keys;
}

std::vector<std::string_view> all_clip_keys() {
    std::vector<std::string_view> keys = keys_of(Kind::video);
    for (auto more :
         {std::span<const std::string_view>(kTextKeys), std::span<const std::string_view>(kShapeKeys),
          std::span<const std::string_view>(kColorKeys)})
        keys.insert(keys.end(), more.begin(), more.end());
    return keys;
}

void read_layout(const Node& node, Layout& layout) {
    auto position = node["position"].choice<Anchor>({
        {"top-left", Anchor::top_left},
        {"top", Anchor::top},
        {"top-right", Anchor::top_right},
        {"left", Anchor::left},
        {"center", Anchor::center},
        {"right", Anchor::right},
        {"bottom-left", Anchor::bottom_left},
        {"bottom", Anchor::bottom},
        {"bottom-right", Anchor::bottom_right},
    });
    if (position) layout.position = *position;
    if (auto x = read_animated_length(node["x"])) layout.x = *x;
    if (auto y = read_animated_length(node["y"])) layout.y = *y;
    layout.width = read_length(node["width"], {.min = 0, .min_exclusive = true});
    layout.height = read_length(node["height"], {.min = 0, .min_exclusive = true});
    auto fit = node["fit"].choice<Fit>({
        {"cover", Fit::cover},
        {"contain", Fit::contain},
        {"contain-blur", Fit::contain_blur},
        {"fill", Fit::fill},
        {"none", Fit::none},
    });
    if (fit) layout.fit = *fit;
    if (auto scale = read_animated_number(node["scale"], {0, 100})) layout.scale = *scale;
    if (auto rotation = read_animated_number(node["rotation"], {-36000, 36000})) layout.rotation = *rotation;
    if (auto opacity = read_animated_number(node["opacity"], {0, 1})) layout.opacity = *opacity;
    if (auto radius = node["radius"].number({0, 1e5})) layout.radius = *radius;
}

template <typename Media>
Media read_media(const Node& node) {
    Media media;
    if (node["src"].require())
        if (auto src = read_source(node["src"])) media.src = *src;
    if (auto trim = node["trim"].number({0, node.limits().max_duration})) media.trim = *trim;
    if (auto speed = node["speed"].number({0.25, 4})) media.speed = *speed;
    if (auto loop = node["loop"].boolean()) media.loop = *loop;
    media.audio = read_audio_props(node);
    return media;
}

std::size_t count_code_points(std::string_view text) {
    return static_cast<std::size_t>(
        std::ranges::count_if(text, [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

TextAsset read_text(const Node& node) {
    TextAsset text;
    Node body = node["text"];
    if (body.require() && body.value()->is_number()) {
        const auto& number = *body.value();
        text.text = number.is_double() ? format_number(number.get_double()) : boost::json::serialize(number);
    } else if (auto value = body.string(node.limits().max_text_length * 4)) {
        std::size_t length = count_code_points(*value);
        if (length > node.limits().max_text_length)
            body.fail(
                fmt::format("has {} characters; the limit is {}", length, node.limits().max_text_length),
                Code::limit_exceeded);
        text.text = std::string(*value);
    }
    if (node["style"].object()) text.style = read_style(node["style"]);
    return text;
}

ShapeAsset read_shape(const Node& node) {
    ShapeAsset shape;
    auto kind = node["shape"].choice<ShapeKind>({
        {"rectangle", ShapeKind::rectangle},
        {"ellipse", ShapeKind::ellipse},
        {"line", ShapeKind::line},
    });
    if (kind) shape.kind = *kind;
    if (auto fill = read_animated_color(node["fill"])) shape.fill = *fill;
    Stroke fallback{};
    if (shape.kind == ShapeKind::line) fallback = {shape.fill.value, 4};
    shape.stroke = read_stroke(node["stroke"], fallback);
    return shape;
}

Asset read_asset(const Node& node, Kind kind) {
    switch (kind) {
        case Kind::image: {
            ImageAsset image;
            if (node["src"].require())
                if (auto src = read_source(node["src"])) image.src = *src;
            return image;
        }
        case Kind::video:
            return read_media<VideoAsset>(node);
        case Kind::text:
            return read_text(node);
        case Kind::shape:
            return read_shape(node);
        case Kind::color: {
            ColorAsset color;
            if (auto value = read_animated_color(node["color"])) color.color = *value;
            return color;
        }
        case Kind::audio:
            return read_media<AudioAsset>(node);
    }
    return ImageAsset{};
}

}  // namespace

std::optional<Clip> read_clip(const Node& node) {
    if (!node.object()) return std::nullopt;
    Node type = node["type"];
    if (!type.require()) return std::nullopt;
    auto index = type.one_of(kKindNames);
    if (!index) return std::nullopt;
    auto kind = static_cast<Kind>(*index);
    node.only_keys(keys_of(kind), all_clip_keys(), fmt::format("{} clips", kKindNames[*index]));
    Clip clip;
    clip.pointer = node.pointer();
    clip.asset = read_asset(node, kind);
    clip.start = Time{Time::Kind::automatic, 0};
    if (auto start = read_time(node["start"], false)) clip.start = *start;
    clip.length = Time{Time::Kind::automatic, 0};
    if (auto length = read_time(node["length"], true)) clip.length = *length;
    if (kind == Kind::audio) return clip;
    read_layout(node, clip.layout);
    if (auto effect = read_effect(node["effect"])) clip.effect = *effect;
    read_transitions(node["transition"], clip);
    return clip;
}

}  // namespace vidgen::spec::detail
