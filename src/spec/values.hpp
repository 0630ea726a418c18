// Parsers for the small value grammars of the spec: colours, lengths and easing names.
// Pure functions of their text; on failure the Error says what is allowed (no pointer: the caller adds it).
// Thread-safe.
#pragma once

#include <string_view>

#include "core/error.hpp"
#include "spec/model.hpp"

namespace vidgen::spec {

// "#rgb", "#rgba", "#rrggbb", "#rrggbbaa", "rgb(r, g, b)", "rgba(r, g, b, a)" (r, g, b in 0..255, a in 0..1)
// or one of: white, black, transparent, red, green, blue, yellow, gray. Case-insensitive.
Result<Color> parse_color(std::string_view text);

// "50%", "10vw", "5vh", "12px" (the number may be negative or fractional).
Result<Length> parse_length(std::string_view text);

// linear, hold, ease-{in,out,in-out}-{quad,cubic,quart,quint,sine,expo,circ,back,elastic,bounce},
// the CSS keywords ease, ease-in, ease-out, ease-in-out, and cubic-bezier(x1, y1, x2, y2) with x1, x2 in
// 0..1.
Result<Easing> parse_easing(std::string_view text);

}  // namespace vidgen::spec
