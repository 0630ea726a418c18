// Clip geometry in frame pixels: the clip's box size, where its anchor and x/y offsets put it at a clip
// time, and where content of a given natural size sits inside the box for each fit mode.
// Pure functions; thread-safe.
#pragma once

#include "spec/model.hpp"

namespace vidgen::render {

struct Rect {
    double x = 0, y = 0, w = 0, h = 0;
};

struct Size {
    double w = 0, h = 0;
};

// The box: `width`/`height` when given (percent of the frame), else `natural` (the whole frame, or a
// text's laid-out size).
Size box_size(const spec::Layout& layout, int frame_w, int frame_h, Size natural);

// The box's top-left at `t` seconds into the clip: the anchor aligns the same point of box and frame,
// then x/y (percent of the frame's width/height) move it.
Rect place_box(const spec::Layout& layout, Size box, int frame_w, int frame_h, double t);

// Where content of natural size `content` is drawn inside `box` (box coordinates; may exceed the box
// for cover and none). contain_blur places the sharp copy like contain.
Rect fit_rect(spec::Fit fit, Size content, Size box);

}  // namespace vidgen::render
