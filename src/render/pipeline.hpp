// The frame pipeline: frames of a Plan in order through oneTBB's parallel_pipeline into one Encoder.
// Stage 1 (serial, in order) samples each frame's state and signature and decodes video sources;
// stage 2 (parallel) composes and converts frames whose signature differs from the previous frame's;
// stage 3 (serial, in order) writes video (re-sending repeated frames), the mixed audio up to the frame's
// time, reports progress and watches for cancellation. Not thread-safe per call; the Plan is only read.
#pragma once

#include "core/error.hpp"
#include "media/encoder.hpp"
#include "render/render.hpp"

namespace vidgen::render {

class Plan;

// Output frames [first, first + count); a negative count runs to the last frame.
struct FrameRange {
    long first = 0;
    long count = -1;
};

// Encodes the frames of `plan` in `range` and their audio (when settings.audio) into `encoder`, then
// finishes it. Progress counts frames within the range.
Result<RenderStats> run_pipeline(const Plan& plan, media::Encoder& encoder,
                                 const media::EncoderSettings& settings, const RenderOptions& options,
                                 FrameRange range = {});

}  // namespace vidgen::render
