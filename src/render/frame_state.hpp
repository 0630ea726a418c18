// Everything that determines one frame's pixels, sampled from a Plan at a timeline time: for each
// visible clip its box position, transform, opacity, Ken Burns zoom/pan, wipe window, animated colour and
// video source frame. Equal signatures mean equal pixels, so a repeated frame is not composited again.
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "spec/model.hpp"

namespace vidgen::render {

class Plan;

// Plain doubles and integers only (no padding), so the bytes can be hashed.
struct LayerState {
    std::int64_t clip = 0;           // index into Plan::clips
    std::int64_t source_frame = -1;  // video: index of the source frame shown
    double x = 0, y = 0;             // the box's top-left in frame px (after slides)
    double scale = 1, rotation = 0, opacity = 1;
    double zoom = 1, pan_x = 0, pan_y = 0;                      // Ken Burns inside the box (pan in box px)
    double wipe_x0 = 0, wipe_y0 = 0, wipe_x1 = 1, wipe_y1 = 1;  // visible part of the box, fractions
    double r = 0, g = 0, b = 0, a = 0;  // sampled colour of a clip with animated colour
};

struct FrameState {
    double time = 0;                   // timeline seconds
    std::vector<LayerState> layers;    // in drawing order
    std::vector<double> source_times;  // per layer: video source seconds (0 for other kinds)
    std::uint64_t signature = 0;
};

FrameState sample_frame(const Plan& plan, double time);

}  // namespace vidgen::render
