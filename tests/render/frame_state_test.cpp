// Transition geometry at half-way, in and out, read from the sampled layer state (table-driven), and
// which frames share a signature.
#include "render/frame_state.hpp"

#include <gtest/gtest.h>

#include "support.hpp"

namespace vidgen::render {
namespace {

using testing::add_track;
using testing::color_clip;
using testing::rgb;
using T = spec::TransitionType;

struct Case {
    T type;
    bool out;
    double x, y, scale, opacity, wipe_x0, wipe_x1, wipe_y0, wipe_y1;
};

// A 64×48 frame; the clip lasts 0..4 s with 1 s transitions; sampled at 0.5 s (in) or 3.5 s (out).
LayerState half_way(T type, bool out) {
    auto s = testing::small_spec();
    auto c = color_clip(rgb(1, 1, 1), 0, 4);
    (out ? c.transition_out : c.transition_in) = {type, 1, {}};
    add_track(s, {c});
    auto p = plan(s, {});
    if (!p) throw std::runtime_error(p.error().to_string());
    return sample_frame(*p->plan, out ? 3.5 : 0.5).layers.at(0);
}

TEST(FrameState, TransitionsAtHalfWay) {
    const Case cases[] = {
        {T::fade, false, 0, 0, 1, 0.5, 0, 1, 0, 1},       {T::fade, true, 0, 0, 1, 0.5, 0, 1, 0, 1},
        {T::crossfade, true, 0, 0, 1, 0.5, 0, 1, 0, 1},   {T::zoom, false, 0, 0, 0.5, 0.5, 0, 1, 0, 1},
        {T::zoom, true, 0, 0, 0.5, 0.5, 0, 1, 0, 1},      {T::slide_left, false, 32, 0, 1, 1, 0, 1, 0, 1},
        {T::slide_left, true, -32, 0, 1, 1, 0, 1, 0, 1},  {T::slide_right, false, -32, 0, 1, 1, 0, 1, 0, 1},
        {T::slide_up, false, 0, 24, 1, 1, 0, 1, 0, 1},    {T::slide_down, true, 0, 24, 1, 1, 0, 1, 0, 1},
        {T::wipe_left, false, 0, 0, 1, 1, 0.5, 1, 0, 1},  {T::wipe_left, true, 0, 0, 1, 1, 0, 0.5, 0, 1},
        {T::wipe_right, false, 0, 0, 1, 1, 0, 0.5, 0, 1}, {T::wipe_up, false, 0, 0, 1, 1, 0, 1, 0.5, 1},
        {T::wipe_down, false, 0, 0, 1, 1, 0, 1, 0, 0.5},  {T::wipe_down, true, 0, 0, 1, 1, 0, 1, 0.5, 1},
    };
    for (const Case& c : cases) {
        LayerState s = half_way(c.type, c.out);
        SCOPED_TRACE(::testing::Message() << "type " << int(c.type) << (c.out ? " out" : " in"));
        EXPECT_NEAR(s.x, c.x, 1e-9);
        EXPECT_NEAR(s.y, c.y, 1e-9);
        EXPECT_NEAR(s.scale, c.scale, 1e-9);
        EXPECT_NEAR(s.opacity, c.opacity, 1e-9);
        EXPECT_NEAR(s.wipe_x0, c.wipe_x0, 1e-9);
        EXPECT_NEAR(s.wipe_x1, c.wipe_x1, 1e-9);
        EXPECT_NEAR(s.wipe_y0, c.wipe_y0, 1e-9);
        EXPECT_NEAR(s.wipe_y1, c.wipe_y1, 1e-9);
    }
}

TEST(FrameState, TransitionEasingShapesTheProgress) {
    auto s = testing::small_spec();
    auto c = color_clip(rgb(1, 1, 1), 0, 4);
    c.transition_in = {T::fade, 1, {spec::EasingFamily::cubic, spec::EasingMode::in, {}}};
    add_track(s, {c});
    auto p = plan(s, {});
    ASSERT_TRUE(p);
    EXPECT_NEAR(sample_frame(*p->plan, 0.5).layers.at(0).opacity, 0.125, 1e-9);
}

TEST(FrameState, SignaturesMatchExactlyWhenNothingChanges) {
    auto s = testing::small_spec();
    auto c = color_clip(rgb(1, 1, 1), 0, 4);
    c.layout.x.keys = {{1, {0, spec::Unit::px}, {}}, {2, {10, spec::Unit::px}, {}}};
    add_track(s, {c});
    auto p = plan(s, {});
    ASSERT_TRUE(p);
    const Plan& plan = *p->plan;
    EXPECT_EQ(sample_frame(plan, 0.2).signature, sample_frame(plan, 0.9).signature);
    EXPECT_NE(sample_frame(plan, 1.2).signature, sample_frame(plan, 1.3).signature);
    EXPECT_EQ(sample_frame(plan, 2.5).signature, sample_frame(plan, 3.5).signature);
    EXPECT_NE(sample_frame(plan, 3.5).signature, sample_frame(plan, 4.5).signature);  // the clip has ended
}

}  // namespace
}  // namespace vidgen::render
