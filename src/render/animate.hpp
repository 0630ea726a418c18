// Sampling animated properties at a time. Header-only templates over spec::Animated<V>.
// Pure; thread-safe.
#pragma once

#include <algorithm>

#include "render/easing.hpp"
#include "spec/model.hpp"

namespace vidgen::render {

inline double lerp(double a, double b, double t) {
    return a + (b - a) * t;
}

inline spec::Color lerp(const spec::Color& a, const spec::Color& b, double t) {
    return {lerp(a.r, b.r, t), lerp(a.g, b.g, t), lerp(a.b, b.b, t), lerp(a.a, b.a, t)};
}

// Lengths in different units cannot be mixed without a frame: they switch at the midpoint.
inline spec::Length lerp(const spec::Length& a, const spec::Length& b, double t) {
    if (a.unit != b.unit) return t < 0.5 ? a : b;
    return {lerp(a.value, b.value, t), a.unit};
}

// The property's value `t` seconds after the clip's start.
template <typename V>
V sample(const spec::Animated<V>& property, double t) {
    const auto& keys = property.keys;
    if (keys.empty()) return property.value;
    if (t <= keys.front().time) return keys.front().value;
    if (t >= keys.back().time) return keys.back().value;
    auto next = std::upper_bound(keys.begin(), keys.end(), t,
                                 [](double time, const spec::Keyframe<V>& k) { return time < k.time; });
    auto prev = next - 1;
    double span = next->time - prev->time;
    double p = span > 0 ? (t - prev->time) / span : 1.0;
    return lerp(prev->value, next->value, ease(prev->easing, p));
}

}  // namespace vidgen::render
