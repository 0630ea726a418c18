#include <fmt/format.h>

#include <boost/json.hpp>

#include "spec/detail/read.hpp"
#include "spec/values.hpp"

namespace vidgen::spec::detail {
namespace {

constexpr double kMaxLength = 1e6;  // px or percent; far beyond any frame

template <typename V, typename ReadOne>
std::optional<Keyframe<V>> read_keyframe(const Node& key, ReadOne read_one) {
    if (!key.object()) return std::nullopt;
    static constexpr std::string_view kKeys[] = {"time", "value", "easing"};
    key.only_keys(kKeys);
    Node time_node = key["time"];
    Node value_node = key["value"];
    bool has_fields = time_node.require() & value_node.require();
    auto time = time_node.number({0, key.limits().max_duration});
    auto value = value_node.present() ? read_one(value_node) : std::nullopt;
    auto easing = key["easing"].present() ? read_easing(key["easing"]) : std::optional<Easing>(Easing{});
    if (!has_fields || !time || !value || !easing) return std::nullopt;
    return Keyframe<V>{*time, *value, *easing};
}

template <typename V, typename ReadOne>
std::optional<Animated<V>> read_animated(const Node& node, ReadOne read_one) {
    if (!node.present()) return std::nullopt;
    if (!node.is_array()) {
        auto value = read_one(node);
        if (!value) return std::nullopt;
        return Animated<V>{*value, {}};
    }
    const auto& keys = *node.array();
    if (keys.empty()) {
        node.fail("must be a value or a non-empty array of keyframes");
        return std::nullopt;
    }
    if (keys.size() > static_cast<std::size_t>(node.limits().max_keyframes)) {
        node.fail(fmt::format("has {} keyframes; the limit is {}", keys.size(), node.limits().max_keyframes),
                  Code::limit_exceeded);
        return std::nullopt;
    }
    Animated<V> out;
    bool ok = true;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        auto key = read_keyframe<V>(node[i], read_one);
        ok = ok && key.has_value();
        if (!key) continue;
        if (!out.keys.empty() && key->time <= out.keys.back().time)
            node[i]["time"].fail(
                fmt::format("keyframes must be in increasing time order: {} does not come after {}",
                            format_number(key->time), format_number(out.keys.back().time)));
        out.keys.push_back(std::move(*key));
    }
    if (!ok || out.keys.empty()) return std::nullopt;
    out.value = out.keys.front().value;
    return out;
}

}  // namespace

std::optional<Color> read_color(const Node& node) {
    auto text = node.string(256);
    if (!text) return std::nullopt;
    auto color = parse_color(*text);
    if (!color) {
        node.fail(color.error().message);
        return std::nullopt;
    }
    return *color;
}

std::optional<Length> read_length(const Node& node, Range range) {
    if (!node.present()) return std::nullopt;
    if (!node.value()->is_number() && !node.is_string()) {
        node.fail(fmt::format("must be a number of pixels or a string such as \"50%\", got {}",
                              kind_name(*node.value())));
        return std::nullopt;
    }
    if (node.value()->is_number()) {
        range.max = std::min(range.max, kMaxLength);
        range.min = std::max(range.min, -kMaxLength);
        auto px = node.number(range);
        if (!px) return std::nullopt;
        return Length{*px, Unit::px};
    }
    auto text = node.string(256);
    if (!text) return std::nullopt;
    auto length = parse_length(*text);
    if (!length) {
        node.fail(length.error().message);
        return std::nullopt;
    }
    if (range.min_exclusive ? !(length->value > range.min) : !(length->value >= range.min)) {
        node.fail(fmt::format("must be {} {}, got {}",
                              range.min_exclusive ? ">" : ">=", format_number(range.min),
                              shorten(std::string_view(node.value()->as_string()))));
        return std::nullopt;
    }
    return *length;
}

std::optional<Easing> read_easing(const Node& node) {
    auto text = node.string(256);
    if (!text) return std::nullopt;
    auto easing = parse_easing(*text);
    if (!easing) {
        node.fail(easing.error().message);
        return std::nullopt;
    }
    return *easing;
}

std::optional<Animated<double>> read_animated_number(const Node& node, Range range) {
    return read_animated<double>(node, [range](const Node& n) { return n.number(range); });
}

std::optional<Animated<Length>> read_animated_length(const Node& node) {
    return read_animated<Length>(node, [](const Node& n) { return read_length(n); });
}

std::optional<Animated<Color>> read_animated_color(const Node& node) {
    return read_animated<Color>(node, [](const Node& n) { return read_color(n); });
}

std::optional<Time> read_time(const Node& node, bool is_length) {
    if (!node.present()) return std::nullopt;
    if (node.is_string()) {
        std::string_view word = node.value()->as_string();
        if (word == "auto") return Time{Time::Kind::automatic, 0};
        if (is_length && word == "end") return Time{Time::Kind::end, 0};
        node.fail(is_length ? "must be a number of seconds, \"auto\" or \"end\"; got '" + shorten(word) + "'"
                            : "must be a number of seconds or \"auto\"; got '" + shorten(word) + "'");
        return std::nullopt;
    }
    double max = node.limits().max_duration;
    auto seconds = node.number({.min = 0, .max = max, .min_exclusive = is_length, .limit = true});
    if (!seconds) return std::nullopt;
    return Time::at(*seconds);
}

}  // namespace vidgen::spec::detail
