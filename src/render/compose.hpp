// The compositor: draws one frame of a Plan into an ARGB32 bitmap with Cairo — the background colour,
// then every visible layer of a FrameState bottom to top with its transform, clip and opacity.
// Thread-safe: reads the Plan only; each call draws into its own bitmap.
#pragma once

#include <span>

#include "core/error.hpp"
#include "media/bitmap.hpp"
#include "render/frame_state.hpp"

namespace vidgen::render {

class Plan;

// `video_frames[i]` is the decoded source frame of layer i when it is a video clip (null otherwise).
// `out` must be the plan's frame size.
Result<void> compose(const Plan& plan, const FrameState& state,
                     std::span<const media::Bitmap* const> video_frames, media::Bitmap& out);

}  // namespace vidgen::render
