#include "spec/values.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace vidgen::spec {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::ranges::transform(out, out.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return text;
}

// A finite decimal number filling all of `text`.
std::optional<double> to_number(std::string_view text) {
    text = trim(text);
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
    return value;
}

std::optional<int> hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return std::nullopt;
}

std::optional<Color> parse_hex(std::string_view hex) {
    if (hex.size() != 3 && hex.size() != 4 && hex.size() != 6 && hex.size() != 8) return std::nullopt;
    bool shorthand = hex.size() <= 4;
    std::array<double, 4> channels{0, 0, 0, 255};
    for (std::size_t i = 0; i * (shorthand ? 1 : 2) < hex.size(); ++i) {
        auto hi = hex_digit(hex[shorthand ? i : 2 * i]);
        auto lo = hex_digit(hex[shorthand ? i : 2 * i + 1]);
        if (!hi || !lo) return std::nullopt;
        channels[i] = *hi * 16 + *lo;
    }
    return Color{channels[0] / 255, channels[1] / 255, channels[2] / 255, channels[3] / 255};
}

// "r, g, b" or "r, g, b, a" inside rgb(...) / rgba(...).
std::optional<Color> parse_rgb_args(std::string_view args, bool with_alpha) {
    std::vector<double> values;
    while (true) {
        auto comma = args.find(',');
        auto value = to_number(args.substr(0, comma));
        if (!value) return std::nullopt;
        values.push_back(*value);
        if (comma == std::string_view::npos) break;
        args.remove_prefix(comma + 1);
    }
    if (values.size() != (with_alpha ? 4u : 3u)) return std::nullopt;
    for (int i = 0; i < 3; ++i)
        if (values[i] < 0 || values[i] > 255) return std::nullopt;
    double alpha = with_alpha ? values[3] : 1.0;
    if (alpha < 0 || alpha > 1) return std::nullopt;
    return Color{values[0] / 255, values[1] / 255, values[2] / 255, alpha};
}

std::optional<Color> named_color(std::string_view name) {
    static constexpr std::array<std::pair<std::string_view, Color>, 8> kNames{{
        {"white", {1, 1, 1, 1}},
        {"black", {0, 0, 0, 1}},
        {"transparent", {0, 0, 0, 0}},
        {"red", {1, 0, 0, 1}},
        {"green", {0, 128.0 / 255, 0, 1}},
        {"blue", {0, 0, 1, 1}},
        {"yellow", {1, 1, 0, 1}},
        {"gray", {128.0 / 255, 128.0 / 255, 128.0 / 255, 1}},
    }};
    for (const auto& [key, color] : kNames)
        if (key == name) return color;
    return std::nullopt;
}

std::optional<Color> color_of(std::string_view text) {
    if (text.starts_with('#')) return parse_hex(text.substr(1));
    for (bool alpha : {false, true}) {
        std::string_view head = alpha ? "rgba(" : "rgb(";
        if (text.starts_with(head) && text.ends_with(')'))
            return parse_rgb_args(text.substr(head.size(), text.size() - head.size() - 1), alpha);
    }
    return named_color(text);
}

std::optional<EasingFamily> family_of(std::string_view name) {
    static constexpr std::array<std::pair<std::string_view, EasingFamily>, 10> kFamilies{{
        {"quad", EasingFamily::quad},
        {"cubic", EasingFamily::cubic},
        {"quart", EasingFamily::quart},
        {"quint", EasingFamily::quint},
        {"sine", EasingFamily::sine},
        {"expo", EasingFamily::expo},
        {"circ", EasingFamily::circ},
        {"back", EasingFamily::back},
        {"elastic", EasingFamily::elastic},
        {"bounce", EasingFamily::bounce},
    }};
    for (const auto& [key, family] : kFamilies)
        if (key == name) return family;
    return std::nullopt;
}

Easing bezier(double x1, double y1, double x2, double y2) {
    return {EasingFamily::bezier, EasingMode::in_out, {x1, y1, x2, y2}};
}

std::optional<Easing> css_easing(std::string_view name) {
    if (name == "ease") return bezier(0.25, 0.1, 0.25, 1);
    if (name == "ease-in") return bezier(0.42, 0, 1, 1);
    if (name == "ease-out") return bezier(0, 0, 0.58, 1);
    if (name == "ease-in-out") return bezier(0.42, 0, 0.58, 1);
    return std::nullopt;
}

std::optional<Easing> penner_easing(std::string_view name) {
    static constexpr std::array<std::pair<std::string_view, EasingMode>, 3> kModes{{
        {"ease-in-out-", EasingMode::in_out},
        {"ease-in-", EasingMode::in},
        {"ease-out-", EasingMode::out},
    }};
    for (const auto& [prefix, mode] : kModes) {
        if (!name.starts_with(prefix)) continue;
        auto family = family_of(name.substr(prefix.size()));
        if (!family) return std::nullopt;
        return Easing{*family, mode, {0, 0, 1, 1}};
    }
    return std::nullopt;
}

Result<Easing> cubic_bezier(std::string_view args) {
    std::vector<double> values;
    while (true) {
        auto comma = args.find(',');
        auto value = to_number(args.substr(0, comma));
        if (!value) return fail(Code::invalid_argument, "cubic-bezier() takes four numbers");
        values.push_back(*value);
        if (comma == std::string_view::npos) break;
        args.remove_prefix(comma + 1);
    }
    if (values.size() != 4) return fail(Code::invalid_argument, "cubic-bezier() takes four numbers");
    if (values[0] < 0 || values[0] > 1 || values[2] < 0 || values[2] > 1)
        return fail(Code::invalid_argument, "cubic-bezier() x1 and x2 must be in 0..1");
    if (std::abs(values[1]) > 10 || std::abs(values[3]) > 10)
        return fail(Code::invalid_argument, "cubic-bezier() y1 and y2 must be in -10..10");
    return bezier(values[0], values[1], values[2], values[3]);
}

}  // namespace

Result<Color> parse_color(std::string_view text) {
    auto color = color_of(lower(trim(text)));
    if (!color)
        return fail(Code::invalid_argument,
                    fmt::format("'{}' is not a colour; use #rrggbb, #rrggbbaa, #rgb, rgb(r, g, b), "
                                "rgba(r, g, b, a) or a name such as white",
                                text));
    return *color;
}

Result<Length> parse_length(std::string_view text) {
    static constexpr std::array<std::pair<std::string_view, Unit>, 4> kUnits{{
        {"%", Unit::percent},
        {"vw", Unit::vw},
        {"vh", Unit::vh},
        {"px", Unit::px},
    }};
    std::string_view body = trim(text);
    for (const auto& [suffix, unit] : kUnits) {
        if (!body.ends_with(suffix)) continue;
        auto value = to_number(body.substr(0, body.size() - suffix.size()));
        if (value && std::abs(*value) <= 1e6) return Length{*value + 0.0, unit};
    }
    return fail(Code::invalid_argument,
                fmt::format("'{}' is not a length; use a number of pixels or a string such as "
                            "\"50%\", \"10vw\", \"5vh\" or \"12px\"",
                            text));
}

Result<Easing> parse_easing(std::string_view text) {
    std::string name = lower(trim(text));
    if (name == "linear") return Easing{EasingFamily::linear, EasingMode::in_out, {0, 0, 1, 1}};
    if (name == "hold") return Easing{EasingFamily::hold, EasingMode::in_out, {0, 0, 1, 1}};
    if (name.starts_with("cubic-bezier(") && name.ends_with(')'))
        return cubic_bezier(std::string_view(name).substr(13, name.size() - 14));
    if (auto css = css_easing(name)) return *css;
    if (auto penner = penner_easing(name)) return *penner;
    return fail(Code::invalid_argument,
                fmt::format("'{}' is not an easing; use linear, hold, ease, ease-in, ease-out, ease-in-out, "
                            "ease-in-<f>, ease-out-<f> or ease-in-out-<f> with f one of quad, cubic, quart, "
                            "quint, sine, expo, circ, back, elastic, bounce, or cubic-bezier(x1, y1, x2, y2)",
                            text));
}

}  // namespace vidgen::spec
