// Golden-frame checks: expected pixels are computed here. Tolerance: max channel error <= 2 for flat
// colours (pixels sampled away from edges).
#include "render/compose.hpp"

#include <gtest/gtest.h>

#include "media/image.hpp"
#include "support.hpp"

namespace vidgen::render {
namespace {

using testing::add_track;
using testing::channel_error;
using testing::color_clip;
using testing::frame_at;
using testing::pixel;
using testing::rgb;

using testing::kFlat;
using testing::planned;

spec::Transition transition(spec::TransitionType type, double seconds) {
    return {type, seconds, {}};
}

TEST(Compose, ColourClipInItsBoxOverTheBackground) {
    auto s = testing::small_spec();
    s.timeline.background = rgb(0.2, 0.4, 0.6);
    auto clip = color_clip(rgb(1, 0, 0), 0, 1);
    clip.layout.width = spec::Length{50, spec::Unit::percent};
    clip.layout.height = spec::Length{50, spec::Unit::percent};
    add_track(s, {clip});
    auto frame = frame_at(planned(s), 0.5);
    EXPECT_LE(channel_error(pixel(frame, 32, 24), rgb(1, 0, 0)), kFlat);
    EXPECT_LE(channel_error(pixel(frame, 2, 2), rgb(0.2, 0.4, 0.6)), kFlat);
    EXPECT_LE(channel_error(pixel(frame, 17, 13), rgb(1, 0, 0)), kFlat);
    EXPECT_LE(channel_error(pixel(frame, 15, 11), rgb(0.2, 0.4, 0.6)), kFlat);
}

TEST(Compose, LaterTracksDrawOverEarlierOnes) {
    auto s = testing::small_spec();
    add_track(s, {color_clip(rgb(1, 0, 0), 0, 1)});
    add_track(s, {color_clip(rgb(0, 1, 0), 0, 1)});
    EXPECT_LE(channel_error(pixel(frame_at(planned(s), 0.2), 10, 10), rgb(0, 1, 0)), kFlat);
}

// A 40×20 image, left half red, right half blue.
std::filesystem::path two_colour_image(const std::filesystem::path& dir) {
    media::Bitmap b(40, 20);
    for (int y = 0; y < 20; ++y)
        for (int x = 0; x < 40; ++x) b.row(y)[x] = x < 20 ? 0xffff0000u : 0xff0000ffu;
    auto path = dir / "two.png";
    EXPECT_TRUE(media::save_image(b, path));
    return path;
}

media::Bitmap image_frame(spec::Fit fit) {
    testing::TempDir dir;
    auto s = testing::small_spec();
    s.timeline.background = rgb(0, 1, 0);
    spec::Clip c;
    c.asset = spec::ImageAsset{{two_colour_image(dir.path()).string(), "/src"}};
    c.start = spec::Time::at(0);
    c.length = spec::Time::at(1);
    c.layout.fit = fit;
    add_track(s, {c});
    return frame_at(planned(s), 0);
}

TEST(Compose, FitFillStretchesTheImageOverTheBox) {
    auto f = image_frame(spec::Fit::fill);
    EXPECT_LE(channel_error(pixel(f, 8, 2), rgb(1, 0, 0)), kFlat);
    EXPECT_LE(channel_error(pixel(f, 56, 45), rgb(0, 0, 1)), kFlat);
}

TEST(Compose, FitContainLetterboxes) {
    auto f = image_frame(spec::Fit::contain);  // 64×32 at y 8..40
    EXPECT_LE(channel_error(pixel(f, 32, 3), rgb(0, 1, 0)), kFlat);
    EXPECT_LE(channel_error(pixel(f, 32, 44), rgb(0, 1, 0)), kFlat);
    EXPECT_LE(channel_error(pixel(f, 8, 24), rgb(1, 0, 0)), kFlat);
    EXPECT_LE(channel_error(pixel(f, 56, 24), rgb(0, 0, 1)), kFlat);
}

TEST(Compose, FitCoverFillsTheBoxAndCrops) {
    auto f = image_frame(spec::Fit::cover);  // 96×48 at x -16: the colours meet at x 32
    EXPECT_LE(channel_error(pixel(f, 28, 2), rgb(1, 0, 0)), kFlat);
    EXPECT_LE(channel_error(pixel(f, 36, 2), rgb(0, 0, 1)), kFlat);
    EXPECT_LE(channel_error(pixel(f, 1, 46), rgb(1, 0, 0)), kFlat);
}

TEST(Compose, ClipsDrawingOneImageAtOneSizeShareItsPixels) {
    testing::TempDir dir;
    auto s = testing::small_spec();
    spec::Clip c;
    c.asset = spec::ImageAsset{{two_colour_image(dir.path()).string(), "/src"}};
    c.length = spec::Time::at(1);
    auto smaller = c;
    smaller.layout.width = spec::Length{50, spec::Unit::percent};
    smaller.layout.fit = spec::Fit::contain;
    add_track(s, {c, c, smaller});
    auto p = planned(s);
    const auto& clips = p.plan->clips;
    ASSERT_EQ(clips.size(), 3u);
    EXPECT_EQ(*clips[0].raster.get(), *clips[1].raster.get());
    EXPECT_NE(*clips[0].raster.get(), *clips[2].raster.get());
}

TEST(Compose, ImagesAreDecodedForTheirLargestScaleAndZoom) {
    testing::TempDir dir;
    auto s = testing::small_spec();
    spec::Clip c;
    c.asset = spec::ImageAsset{{two_colour_image(dir.path()).string(), "/src"}};
    c.length = spec::Time::at(1);
    c.layout.fit = spec::Fit::fill;
    c.layout.width = spec::Length{16, spec::Unit::px};
    c.layout.height = spec::Length{8, spec::Unit::px};
    c.layout.scale.keys = {{0, 1, {}}, {1, 1.5, {}}};
    auto zoomed = c;
    zoomed.effect = {spec::KenBurns::zoom_in, 1};
    add_track(s, {c, zoomed});
    auto p = planned(s);
    EXPECT_EQ((*p.plan->clips[0].raster.get())->width(), 24);
    EXPECT_EQ((*p.plan->clips[0].raster.get())->height(), 12);
    EXPECT_EQ((*p.plan->clips[1].raster.get())->width(), 26);  // 16 × 1.5 × 1.1
    EXPECT_TRUE(p.warnings.empty());
}

TEST(Compose, StillLayersAtFractionalPositionsStayCrisp) {
    testing::TempDir dir;
    auto s = testing::small_spec();
    spec::Clip c;
    c.asset = spec::ImageAsset{{two_colour_image(dir.path()).string(), "/src"}};
    c.length = spec::Time::at(1);
    c.layout.fit = spec::Fit::fill;
    c.layout.position = spec::Anchor::top_left;
    c.layout.x.value = spec::Length{0.5, spec::Unit::px};
    c.layout.width = spec::Length{40, spec::Unit::px};
    c.layout.height = spec::Length{20, spec::Unit::px};
    add_track(s, {c});
    auto f = frame_at(planned(s), 0);
    EXPECT_LE(channel_error(pixel(f, 0, 10), rgb(0, 0, 0)), kFlat);
    for (int x = 1; x <= 40; ++x) {
        auto p = pixel(f, x, 10);
        int error = std::min(channel_error(p, rgb(1, 0, 0)), channel_error(p, rgb(0, 0, 1)));
        EXPECT_LE(error, kFlat) << "x " << x;
    }
}

spec::Clip small_white_box(spec::Anchor anchor, spec::Length x, spec::Length y) {
    auto c = color_clip(rgb(1, 1, 1), 0, 1);
    c.layout.width = spec::Length{16, spec::Unit::px};
    c.layout.height = spec::Length{8, spec::Unit::px};
    c.layout.position = anchor;
    c.layout.x.value = x;
    c.layout.y.value = y;
    return c;
}

TEST(Compose, TopLeftAnchorWithPixelAndPercentOffsets) {
    auto s = testing::small_spec();
    add_track(s, {small_white_box(spec::Anchor::top_left, {4, spec::Unit::px}, {25, spec::Unit::percent})});
    auto f = frame_at(planned(s), 0);  // box at x 4..20, y 12..20
    EXPECT_LE(channel_error(pixel(f, 5, 13), rgb(1, 1, 1)), kFlat);
    EXPECT_LE(channel_error(pixel(f, 19, 19), rgb(1, 1, 1)), kFlat);
    EXPECT_LE(channel_error(pixel(f, 3, 13), rgb(0, 0, 0)), kFlat);
    EXPECT_LE(channel_error(pixel(f, 5, 11), rgb(0, 0, 0)), kFlat);
    EXPECT_LE(channel_error(pixel(f, 20, 20), rgb(0, 0, 0)), kFlat);
}

TEST(Compose, BottomRightAnchorWithViewportOffsets) {
    auto s = testing::small_spec();
    // 12.5vw of 64 = 8 px left; -12.5vh of 48 = 6 px up: box at x 40..56, y 34..42
    add_track(
        s, {small_white_box(spec::Anchor::bottom_right, {-12.5, spec::Unit::vw}, {-12.5, spec::Unit::vh})});
    auto f = frame_at(planned(s), 0);
    EXPECT_LE(channel_error(pixel(f, 41, 35), rgb(1, 1, 1)), kFlat);
    EXPECT_LE(channel_error(pixel(f, 55, 41), rgb(1, 1, 1)), kFlat);
    EXPECT_LE(channel_error(pixel(f, 57, 41), rgb(0, 0, 0)), kFlat);
    EXPECT_LE(channel_error(pixel(f, 41, 43), rgb(0, 0, 0)), kFlat);
}

TEST(Compose, OpacityKeyframesFollowTheirEasing) {
    auto s = testing::small_spec();
    auto c = color_clip(rgb(1, 1, 1), 0, 3);
    spec::Easing quad_in{spec::EasingFamily::quad, spec::EasingMode::in, {}};
    c.layout.opacity.keys = {{0, 0, quad_in}, {2, 1, {}}};
    add_track(s, {c});
    auto p = planned(s);
    EXPECT_LE(channel_error(pixel(frame_at(p, 1), 5, 5), rgb(0.25, 0.25, 0.25)), kFlat);
    EXPECT_LE(channel_error(pixel(frame_at(p, 0), 5, 5), rgb(0, 0, 0)), kFlat);
    EXPECT_LE(channel_error(pixel(frame_at(p, 2.5), 5, 5), rgb(1, 1, 1)), kFlat);
}

TEST(Compose, FadeInHalfWayBlendsHalf) {
    auto s = testing::small_spec();
    s.timeline.background = rgb(0, 0, 1);
    auto c = color_clip(rgb(1, 0, 0), 0, 4);
    c.transition_in = transition(spec::TransitionType::fade, 1);
    c.transition_out = transition(spec::TransitionType::fade, 2);
    add_track(s, {c});
    auto p = planned(s);
    EXPECT_LE(channel_error(pixel(frame_at(p, 0.5), 5, 5), rgb(0.5, 0, 0.5)), kFlat);
    EXPECT_LE(channel_error(pixel(frame_at(p, 3), 5, 5), rgb(0.5, 0, 0.5)), kFlat);
    EXPECT_LE(channel_error(pixel(frame_at(p, 1.5), 5, 5), rgb(1, 0, 0)), kFlat);
}

TEST(Compose, WipeRightHalfWayShowsTheLeftHalf) {
    auto s = testing::small_spec();
    auto c = color_clip(rgb(1, 1, 1), 0, 4);
    c.transition_in = transition(spec::TransitionType::wipe_right, 1);
    add_track(s, {c});
    auto f = frame_at(planned(s), 0.5);
    EXPECT_LE(channel_error(pixel(f, 16, 24), rgb(1, 1, 1)), kFlat);
    EXPECT_LE(channel_error(pixel(f, 30, 24), rgb(1, 1, 1)), kFlat);
    EXPECT_LE(channel_error(pixel(f, 34, 24), rgb(0, 0, 0)), kFlat);
}

TEST(Compose, SlideLeftEntersFromTheRight) {
    auto s = testing::small_spec();
    auto c = color_clip(rgb(1, 1, 1), 0, 4);
    c.transition_in = transition(spec::TransitionType::slide_left, 1);
    add_track(s, {c});
    auto f = frame_at(planned(s), 0.5);
    EXPECT_LE(channel_error(pixel(f, 30, 24), rgb(0, 0, 0)), kFlat);
    EXPECT_LE(channel_error(pixel(f, 34, 24), rgb(1, 1, 1)), kFlat);
}

TEST(Compose, CrossfadeBlendsTheIncomingClipOverTheOutgoingOne) {
    auto s = testing::small_spec();
    auto first = color_clip(rgb(1, 0, 0), 0, 2);
    first.transition_out = transition(spec::TransitionType::crossfade, 1);
    auto second = color_clip(rgb(0, 1, 0), 0, 2);
    second.start.kind = spec::Time::Kind::automatic;
    second.transition_in = transition(spec::TransitionType::crossfade, 1);
    add_track(s, {first, second});
    auto p = planned(s);
    EXPECT_LE(channel_error(pixel(frame_at(p, 1.5), 5, 5), rgb(0.5, 0.5, 0)), kFlat);
    EXPECT_LE(channel_error(pixel(frame_at(p, 0.9), 5, 5), rgb(1, 0, 0)), kFlat);
    EXPECT_LE(channel_error(pixel(frame_at(p, 2.1), 5, 5), rgb(0, 1, 0)), kFlat);
}

TEST(Compose, RoundedCornersClipTheBox) {
    auto s = testing::small_spec();
    auto c = color_clip(rgb(1, 1, 1), 0, 1);
    c.layout.radius = 12;
    add_track(s, {c});
    auto f = frame_at(planned(s), 0);
    EXPECT_LE(channel_error(pixel(f, 0, 0), rgb(0, 0, 0)), kFlat);
    EXPECT_LE(channel_error(pixel(f, 32, 0), rgb(1, 1, 1)), kFlat);
}

}  // namespace
}  // namespace vidgen::render
