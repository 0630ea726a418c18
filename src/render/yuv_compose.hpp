// Composing a frame straight into YUV 4:2:0 when its bottom layer is a plain video covering the frame:
// plain video layers (opaque, unmoved, unscaled, unrotated, unclipped) are scaled by swscale from the
// decoded frame into their place in the output; the other layers are drawn with Cairo inside their
// bounds only and blended over it. The result looks like compose() followed by FrameConverter (within
// scaling and rounding), without converting whole frames to RGB and back.
// Thread-safe: reads the Plan and the source frames; each call draws into its own frame and scratch.
#pragma once

#include <span>
#include <vector>

#include "core/error.hpp"
#include "media/bitmap.hpp"
#include "media/video_decoder.hpp"
#include "media/yuv.hpp"
#include "render/frame_state.hpp"

namespace vidgen::render {

class Plan;

// Buffers one thread reuses from frame to frame (for one Plan).
struct YuvScratch {
    media::Bitmap overlay;                 // layers drawn with Cairo, over their bounds
    media::YuvOverlay drawn;               // the same, ready to draw over YUV
    std::vector<LayerState> drawn_layers;  // the layers `drawn` shows: unchanged ones are not drawn again
    media::YuvImage video;                 // a video layer scaled before it is copied into its place
};

// Whether compose_yuv can draw this frame (`videos[i]`: layer i's decoded frame, empty for other kinds):
// the bottom layer is a plain video covering the frame and every other video layer is plain, on even
// pixels; `bt709` is the output's matrix.
bool composes_in_yuv(const Plan& plan, const FrameState& state, std::span<const media::SourceFrame> videos,
                     bool bt709);

// Draws the frame into `out` (the plan's size). Only for frames composes_in_yuv accepts.
Result<void> compose_yuv(const Plan& plan, const FrameState& state,
                         std::span<const media::SourceFrame> videos, bool bt709, const media::YuvView& out,
                         YuvScratch& scratch);

}  // namespace vidgen::render
