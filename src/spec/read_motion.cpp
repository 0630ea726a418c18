#include "spec/detail/read.hpp"

namespace vidgen::spec::detail {
namespace {

std::optional<KenBurns> read_effect_type(const Node& node) {
    return node.choice<KenBurns>({
        {"none", KenBurns::none},
        {"zoom-in", KenBurns::zoom_in},
        {"zoom-out", KenBurns::zoom_out},
        {"pan-left", KenBurns::pan_left},
        {"pan-right", KenBurns::pan_right},
        {"pan-up", KenBurns::pan_up},
        {"pan-down", KenBurns::pan_down},
    });
}

std::optional<TransitionType> read_transition_type(const Node& node) {
    return node.choice<TransitionType>({
        {"none", TransitionType::none},
        {"fade", TransitionType::fade},
        {"crossfade", TransitionType::crossfade},
        {"wipe-left", TransitionType::wipe_left},
        {"wipe-right", TransitionType::wipe_right},
        {"wipe-up", TransitionType::wipe_up},
        {"wipe-down", TransitionType::wipe_down},
        {"slide-left", TransitionType::slide_left},
        {"slide-right", TransitionType::slide_right},
        {"slide-up", TransitionType::slide_up},
        {"slide-down", TransitionType::slide_down},
        {"zoom", TransitionType::zoom},
    });
}

// "fade" or {"type": "fade", "duration": 1, "easing": "linear"}.
std::optional<Transition> read_transition(const Node& node) {
    if (!node.present()) return std::nullopt;
    Transition out;
    if (node.is_string()) {
        auto type = read_transition_type(node);
        if (!type) return std::nullopt;
        out.type = *type;
        return out;
    }
    if (!node.object()) return std::nullopt;
    static constexpr std::string_view kKeys[] = {"type", "duration", "easing"};
    node.only_keys(kKeys);
    if (!node["type"].require()) return std::nullopt;
    auto type = read_transition_type(node["type"]);
    if (auto duration =
            node["duration"].number({.min = 0, .max = node.limits().max_duration, .min_exclusive = true}))
        out.duration = *duration;
    if (auto easing = read_easing(node["easing"])) out.easing = *easing;
    if (!type) return std::nullopt;
    out.type = *type;
    return out;
}

}  // namespace

std::optional<Effect> read_effect(const Node& node) {
    if (!node.present()) return std::nullopt;
    Effect out;
    if (node.is_string()) {
        auto type = read_effect_type(node);
        if (!type) return std::nullopt;
        out.type = *type;
        return out;
    }
    if (!node.object()) return std::nullopt;
    static constexpr std::string_view kKeys[] = {"type", "speed"};
    node.only_keys(kKeys);
    if (!node["type"].require()) return std::nullopt;
    auto type = read_effect_type(node["type"]);
    if (auto speed = node["speed"].number({.min = 0, .max = 10, .min_exclusive = true})) out.speed = *speed;
    if (!type) return std::nullopt;
    out.type = *type;
    return out;
}

void read_transitions(const Node& node, Clip& clip) {
    if (!node.object()) return;
    static constexpr std::string_view kKeys[] = {"in", "out"};
    node.only_keys(kKeys);
    if (auto in = read_transition(node["in"])) clip.transition_in = *in;
    if (auto out = read_transition(node["out"])) clip.transition_out = *out;
}

}  // namespace vidgen::spec::detail
