#include "render/layout.hpp"

#include <algorithm>

#include "render/animate.hpp"

namespace vidgen::render {
namespace {

// 0 for the start edge, 0.5 for the middle, 1 for the end edge of each axis.
double anchor_x(spec::Anchor a) {
    switch (a) {
        case spec::Anchor::top_left:
        case spec::Anchor::left:
        case spec::Anchor::bottom_left:
            return 0;
        case spec::Anchor::top_right:
        case spec::Anchor::right:
        case spec::Anchor::bottom_right:
            return 1;
        default:
            return 0.5;
    }
}

double anchor_y(spec::Anchor a) {
    switch (a) {
        case spec::Anchor::top_left:
        case spec::Anchor::top:
        case spec::Anchor::top_right:
            return 0;
        case spec::Anchor::bottom_left:
        case spec::Anchor::bottom:
        case spec::Anchor::bottom_right:
            return 1;
        default:
            return 0.5;
    }
}

}  // namespace

Size box_size(const spec::Layout& layout, int frame_w, int frame_h, Size natural) {
    Size s = natural;
    if (layout.width) s.w = layout.width->resolve(frame_w, frame_w, frame_h);
    if (layout.height) s.h = layout.height->resolve(frame_h, frame_w, frame_h);
    return {std::max(s.w, 1.0), std::max(s.h, 1.0)};
}

Rect place_box(const spec::Layout& layout, Size box, int frame_w, int frame_h, double t) {
    double ax = anchor_x(layout.position), ay = anchor_y(layout.position);
    double dx = sample(layout.x, t).resolve(frame_w, frame_w, frame_h);
    double dy = sample(layout.y, t).resolve(frame_h, frame_w, frame_h);
    return {ax * (frame_w - box.w) + dx, ay * (frame_h - box.h) + dy, box.w, box.h};
}

Rect fit_rect(spec::Fit fit, Size content, Size box) {
    double sx = box.w / content.w, sy = box.h / content.h;
    double s = 1;
    switch (fit) {
        case spec::Fit::fill:
            return {0, 0, box.w, box.h};
        case spec::Fit::cover:
            s = std::max(sx, sy);
            break;
        case spec::Fit::contain:
        case spec::Fit::contain_blur:
            s = std::min(sx, sy);
            break;
        case spec::Fit::none:
            s = 1;
            break;
    }
    double w = content.w * s, h = content.h * s;
    return {(box.w - w) / 2, (box.h - h) / 2, w, h};
}

}  // namespace vidgen::render
