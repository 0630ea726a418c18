// The compositor: draws one frame of a Plan into an ARGB32 bitmap with Cairo — the background colour,
// then every visible layer of a FrameState bottom to top with its transform, clip and opacity.
// compose_layers draws some layers only, over pixels already there (composing in YUV draws the layers
// that are not plain video this way, inside layer_bounds). Thread-safe: reads the Plan only; each call
// draws into its own bitmap.
#pragma once

#include <span>

#include "core/error.hpp"
#include "media/bitmap.hpp"
#include "render/frame_state.hpp"
#include "render/layout.hpp"

namespace vidgen::render {

class Plan;

// `video_frames[i]` is the decoded source frame of layer i when it is a video clip (null otherwise).
// `out` must be the plan's frame size.
Result<void> compose(const Plan& plan, const FrameState& state,
                     std::span<const media::Bitmap* const> video_frames, media::Bitmap& out);

// Draws layers [first, last) of `state` (none of them video) over `out`, whose top-left pixel is the
// frame's (x, y). No background is painted.
Result<void> compose_layers(const Plan& plan, const FrameState& state, std::size_t first, std::size_t last,
                            int x, int y, media::Bitmap& out);

// A rectangle of whole frame pixels that holds every pixel the layer may change (the whole frame when
// that is only known once drawn).
Rect layer_bounds(const Plan& plan, const LayerState& state);

}  // namespace vidgen::render
