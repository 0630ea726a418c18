// Readers that turn JSON nodes into model values, recording problems in the node's Context.
// Each returns nullopt (or leaves its output at the default) when the field is absent or wrong.
// Internal to the spec module. Not thread-safe: one Context per parse.
#pragma once

#include <optional>
#include <string_view>

#include "spec/detail/node.hpp"
#include "spec/model.hpp"

namespace vidgen::spec::detail {

// ---- values (read_values.cpp) ----
std::optional<Color> read_color(const Node& node);
std::optional<Length> read_length(const Node& node, Range range = {});
std::optional<Easing> read_easing(const Node& node);
std::optional<Animated<double>> read_animated_number(const Node& node, Range range = {});
std::optional<Animated<Length>> read_animated_length(const Node& node);
std::optional<Animated<Color>> read_animated_color(const Node& node);
// A clip's "start" (seconds or "auto") or "length" (seconds, "auto" or "end").
std::optional<Time> read_time(const Node& node, bool is_length);

// ---- motion (read_motion.cpp) ----
std::optional<Effect> read_effect(const Node& node);
// Fills clip.transition_in / transition_out from a clip's "transition" object.
void read_transitions(const Node& node, Clip& clip);

// ---- clips and styles (read_clip.cpp, read_style.cpp) ----
std::optional<Clip> read_clip(const Node& node);
TextStyle read_style(const Node& node);
Stroke read_stroke(const Node& node, Stroke fallback);
AudioProps read_audio_props(const Node& holder);  // volume, fade_in, fade_out on `holder`
std::optional<Source> read_source(const Node& node);

// ---- whole spec (read_spec.cpp) ----
Output read_output(const Node& node);
Timeline read_timeline(const Node& node);

// ---- semantic checks across fields (validate.cpp) ----
// Source syntax: a relative or absolute path, https:// or asset:ID; every other scheme is refused.
void check_source(const Node& node, std::string_view uri);
void check_semantics(const Spec& spec, Context& context);

}  // namespace vidgen::spec::detail
