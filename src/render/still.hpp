// One frame of a plan composed on its own, outside the frame pipeline: stills (--frame, previews) and the
// picture of a static run. Opens its own video decoders. Thread-safe: reads the Plan only.
#pragma once

#include "core/error.hpp"
#include "media/bitmap.hpp"

namespace vidgen::render {

class Plan;

// The frame showing at timeline time `seconds` (clamped to the timeline).
Result<media::Bitmap> compose_at(const Plan& plan, double seconds);

}  // namespace vidgen::render
