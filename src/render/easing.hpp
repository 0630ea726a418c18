// Easing curves: Penner's set (quad … bounce, each in/out/in-out), linear, hold and cubic-bezier.
// Pure functions; thread-safe.
#pragma once

#include "spec/model.hpp"

namespace vidgen::render {

// Maps progress p in [0,1] to eased progress (may overshoot [0,1] for back and elastic).
// ease(e, 0) == 0 and ease(e, 1) == 1 for every curve; hold gives 0 until p reaches 1.
double ease(const spec::Easing& easing, double p);

}  // namespace vidgen::render
