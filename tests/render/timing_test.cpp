#include "render/timing.hpp"

#include <gtest/gtest.h>

#include "support.hpp"

namespace vidgen::render {
namespace {

using testing::add_track;
using testing::color_clip;
using testing::rgb;

spec::Clip automatic(spec::Clip c) {
    c.start.kind = spec::Time::Kind::automatic;
    return c;
}

spec::Clip video_clip(double trim, double speed, spec::Time length) {
    spec::Clip c;
    c.asset = spec::VideoAsset{{"v.mp4", ""}, trim, speed, false, {}};
    c.start = spec::Time::at(1);
    c.length = length;
    return c;
}

TEST(Timing, AutoStartFollowsThePreviousClip) {
    auto s = testing::small_spec();
    add_track(s, {color_clip(rgb(1, 0, 0), 1, 2), automatic(color_clip(rgb(0, 1, 0), 0, 3))});
    auto t = resolve_times(s.timeline, {{0, 0}});
    ASSERT_TRUE(t) << t.error().to_string();
    EXPECT_DOUBLE_EQ(t->clips[0][1].start, 3);
    EXPECT_DOUBLE_EQ(t->clips[0][1].end, 6);
    EXPECT_DOUBLE_EQ(t->duration, 6);
}

TEST(Timing, CrossfadeInOverlapsThePreviousClip) {
    auto s = testing::small_spec();
    auto second = automatic(color_clip(rgb(0, 1, 0), 0, 3));
    second.transition_in = {spec::TransitionType::crossfade, 0.5, {}};
    add_track(s, {color_clip(rgb(1, 0, 0), 0, 2), second});
    auto t = resolve_times(s.timeline, {{0, 0}});
    ASSERT_TRUE(t);
    EXPECT_DOUBLE_EQ(t->clips[0][1].start, 1.5);
    EXPECT_DOUBLE_EQ(t->clips[0][1].end, 4.5);
}

TEST(Timing, AutoLengthOfVideoIsTheRemainingSourceAtItsSpeed) {
    auto s = testing::small_spec();
    add_track(s, {video_clip(2, 2, {spec::Time::Kind::automatic, 0})});
    auto t = resolve_times(s.timeline, {{10}});
    ASSERT_TRUE(t);
    EXPECT_DOUBLE_EQ(t->clips[0][0].end, 1 + (10 - 2) / 2.0);
}

TEST(Timing, AutoAndEndLengthsOfStillClipsReachTheTimelineEnd) {
    auto s = testing::small_spec();
    auto to_end = color_clip(rgb(1, 0, 0), 1, 0);
    to_end.length.kind = spec::Time::Kind::end;
    auto automatic_length = color_clip(rgb(1, 0, 0), 2, 0);
    automatic_length.length.kind = spec::Time::Kind::automatic;
    add_track(s, {to_end});
    add_track(s, {automatic_length});
    add_track(s, {color_clip(rgb(0, 0, 1), 0, 7)});
    auto t = resolve_times(s.timeline, {{0}, {0}, {0}});
    ASSERT_TRUE(t);
    EXPECT_DOUBLE_EQ(t->duration, 7);
    EXPECT_DOUBLE_EQ(t->clips[0][0].end, 7);
    EXPECT_DOUBLE_EQ(t->clips[1][0].end, 7);
}

TEST(Timing, ExplicitDurationWins) {
    auto s = testing::small_spec();
    s.timeline.duration = 4;
    auto to_end = color_clip(rgb(1, 0, 0), 0, 0);
    to_end.length.kind = spec::Time::Kind::end;
    add_track(s, {to_end, color_clip(rgb(0, 1, 0), 1, 9)});
    auto t = resolve_times(s.timeline, {{0, 0}});
    ASSERT_TRUE(t);
    EXPECT_DOUBLE_EQ(t->duration, 4);
    EXPECT_DOUBLE_EQ(t->clips[0][0].end, 4);
}

TEST(Timing, RejectsAutoStartAfterAnOpenEndedClip) {
    auto s = testing::small_spec();
    auto to_end = color_clip(rgb(1, 0, 0), 0, 0);
    to_end.length.kind = spec::Time::Kind::end;
    add_track(s, {to_end, automatic(color_clip(rgb(0, 1, 0), 0, 1))});
    s.timeline.duration = 5;
    auto t = resolve_times(s.timeline, {{0, 0}});
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().pointer, "/timeline/tracks/0/clips/1/start");
}

TEST(Timing, RejectsATimelineWithoutLength) {
    auto s = testing::small_spec();
    auto to_end = color_clip(rgb(1, 0, 0), 0, 0);
    to_end.length.kind = spec::Time::Kind::end;
    add_track(s, {to_end});
    auto t = resolve_times(s.timeline, {{0}});
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().pointer, "/timeline/duration");
}

TEST(Timing, RejectsTrimPastTheSourceEnd) {
    auto s = testing::small_spec();
    add_track(s, {video_clip(12, 1, {spec::Time::Kind::automatic, 0})});
    auto t = resolve_times(s.timeline, {{10}});
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().pointer, "/timeline/tracks/0/clips/0/trim");
}

}  // namespace
}  // namespace vidgen::render
