// Transforms, Ken Burns, zoom transitions, generated content (text, shapes) and contain-blur, checked on
// composed pixels. Tolerance: max channel error <= 2 for flat colours; text is checked by coverage.
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

spec::Clip white_bar(double w, double h) {
    auto c = color_clip(rgb(1, 1, 1), 0, 2);
    c.layout.width = spec::Length{w, spec::Unit::px};
    c.layout.height = spec::Length{h, spec::Unit::px};
    return c;
}

TEST(Motion, RotationTurnsTheBoxAboutItsCentre) {
    auto s = testing::small_spec();
    auto bar = white_bar(32, 8);
    bar.layout.rotation.value = 90;
    add_track(s, {bar});
    auto f = frame_at(planned(s), 0);
    EXPECT_LE(channel_error(pixel(f, 32, 24 + 12), rgb(1, 1, 1)), kFlat);
    EXPECT_LE(channel_error(pixel(f, 32 + 12, 24), rgb(0, 0, 0)), kFlat);
}

TEST(Motion, ScaleGrowsTheBoxAboutItsCentre) {
    auto s = testing::small_spec();
    auto bar = white_bar(16, 8);
    bar.layout.scale.keys = {{0, 1, {}}, {1, 2, {}}};
    add_track(s, {bar});
    auto p = planned(s);
    EXPECT_LE(channel_error(pixel(frame_at(p, 0), 32 + 12, 24), rgb(0, 0, 0)), kFlat);
    EXPECT_LE(channel_error(pixel(frame_at(p, 1), 32 + 12, 24), rgb(1, 1, 1)), kFlat);
}

TEST(Motion, ZoomTransitionScalesAndFades) {
    auto s = testing::small_spec();
    auto bar = white_bar(32, 32);
    bar.transition_in = {spec::TransitionType::zoom, 1, {}};
    add_track(s, {bar});
    auto f = frame_at(planned(s), 0.5);  // half size (16×16) at half opacity
    EXPECT_LE(channel_error(pixel(f, 32, 24), rgb(0.5, 0.5, 0.5)), kFlat);
    EXPECT_LE(channel_error(pixel(f, 32 + 12, 24), rgb(0, 0, 0)), kFlat);
}

TEST(Motion, KenBurnsZoomsOverTheClip) {
    auto s = testing::small_spec();
    auto c = color_clip(rgb(1, 1, 1), 0, 2);
    c.effect = {spec::KenBurns::zoom_in, 2};
    auto pan = color_clip(rgb(1, 1, 1), 0, 2);
    pan.effect = {spec::KenBurns::pan_left, 1};
    add_track(s, {c});
    add_track(s, {pan});
    auto p = planned(s);
    auto start = sample_frame(*p.plan, 0), end = sample_frame(*p.plan, 1.999);
    EXPECT_DOUBLE_EQ(start.layers[0].zoom, 1);
    EXPECT_NEAR(end.layers[0].zoom, 1.2, 1e-3);
    EXPECT_NEAR(start.layers[1].zoom, 1.1, 1e-9);
    EXPECT_NEAR(start.layers[1].pan_x, 0.05 * 64, 1e-9);
    EXPECT_NEAR(end.layers[1].pan_x, -0.05 * 64, 1e-2);
    EXPECT_NE(start.signature, end.signature);
}

TEST(Motion, PanningImageNeverShowsItsEdges) {
    testing::TempDir dir;
    media::Bitmap b(64, 48);
    for (int y = 0; y < 48; ++y)
        for (int x = 0; x < 64; ++x) b.row(y)[x] = 0xffffffffu;
    ASSERT_TRUE(media::save_image(b, dir.path() / "white.png"));
    auto s = testing::small_spec();
    s.timeline.background = rgb(1, 0, 0);
    spec::Clip c;
    c.asset = spec::ImageAsset{{"white.png", "/src"}};
    c.length = spec::Time::at(2);
    c.effect = {spec::KenBurns::pan_right, 1};
    add_track(s, {c});
    RenderOptions options;
    options.base_dir = dir.path();
    auto p = planned(s, options);
    for (double t : {0.0, 1.0, 1.99}) {
        auto f = frame_at(p, t);
        for (auto [x, y] : {std::pair{0, 0}, {63, 0}, {0, 47}, {63, 47}})
            EXPECT_LE(channel_error(pixel(f, x, y), rgb(1, 1, 1)), kFlat) << t << " " << x << "," << y;
    }
}

// A 40×20 image: red inside a 2 px green border.
std::filesystem::path bordered_image(const std::filesystem::path& dir) {
    media::Bitmap b(40, 20);
    for (int y = 0; y < 20; ++y)
        for (int x = 0; x < 40; ++x) {
            bool border = x < 2 || y < 2 || x >= 38 || y >= 18;
            b.row(y)[x] = border ? 0xff00ff00u : 0xffff0000u;
        }
    auto path = dir / "bordered.png";
    EXPECT_TRUE(media::save_image(b, path));
    return path;
}

TEST(Motion, ContainBlurFillsTheLetterboxWithABlurredCopy) {
    testing::TempDir dir;
    auto s = testing::small_spec();
    s.timeline.background = rgb(0, 0, 1);
    spec::Clip c;
    c.asset = spec::ImageAsset{{bordered_image(dir.path()).string(), "/src"}};
    c.length = spec::Time::at(1);
    c.layout.fit = spec::Fit::contain_blur;
    add_track(s, {c});
    auto f = frame_at(planned(s), 0);  // the sharp copy is 64×32 at y 8..40
    auto letterbox = pixel(f, 32, 3);  // the blurred cover copy: mostly red, no blue background
    EXPECT_GT(letterbox.r, letterbox.g);
    EXPECT_LT(letterbox.b, 10);
    EXPECT_LE(channel_error(pixel(f, 32, 24), rgb(1, 0, 0)), kFlat);
    EXPECT_LE(channel_error(pixel(f, 32, 9), rgb(0, 1, 0)), 8);  // the sharp border
}

spec::Clip text_clip(spec::Animated<spec::Color> colour) {
    spec::Clip c;
    spec::TextAsset text{"HHHH", {}};
    text.style.size = {20, spec::Unit::px};
    text.style.color = colour;
    c.asset = text;
    c.length = spec::Time::at(2);
    return c;
}

// How many pixels are mostly `channel` (0 red, 1 green, 2 blue) and bright.
int bright_pixels(const media::Bitmap& f, int channel) {
    int n = 0;
    for (int y = 0; y < f.height(); ++y)
        for (int x = 0; x < f.width(); ++x) {
            auto p = pixel(f, x, y);
            int v[] = {p.r, p.g, p.b};
            if (v[channel] > 200 && v[(channel + 1) % 3] < 60 && v[(channel + 2) % 3] < 60) ++n;
        }
    return n;
}

TEST(Motion, TextIsDrawnAndItsAnimatedColourIsRerasterised) {
    auto s = testing::small_spec(128, 64, 10);
    spec::Animated<spec::Color> colour{rgb(1, 0, 0), {{0, rgb(1, 0, 0), {}}, {1, rgb(0, 0, 1), {}}}};
    add_track(s, {text_clip(colour)});
    auto p = planned(s);
    EXPECT_FALSE(p.plan->clips[0].raster);
    auto red = frame_at(p, 0), blue = frame_at(p, 1.5);
    EXPECT_GT(bright_pixels(red, 0), 40);
    EXPECT_EQ(bright_pixels(red, 2), 0);
    EXPECT_GT(bright_pixels(blue, 2), 40);
    EXPECT_EQ(bright_pixels(blue, 0), 0);
    const PlannedClip& pc = p.plan->clips[0];
    EXPECT_LT(pc.box_w, 128);  // the laid-out box, centred
    EXPECT_EQ(pixel(red, 2, 2).r, 0);
}

TEST(Motion, TextBackgroundStaysInsideItsBox) {
    auto s = testing::small_spec(128, 64, 10);
    auto c = text_clip({rgb(1, 1, 1), {}});
    auto& style = std::get<spec::TextAsset>(c.asset).style;
    style.background = {rgb(1, 0, 0), 4, 0, true};
    add_track(s, {c});
    auto p = planned(s);
    const PlannedClip& pc = p.plan->clips[0];
    auto f = frame_at(p, 0.5);
    int left = static_cast<int>((128 - pc.box_w) / 2);
    ASSERT_GT(left, 4);
    EXPECT_LE(channel_error(pixel(f, left + 2, 32), rgb(1, 0, 0)), kFlat);
    EXPECT_LE(channel_error(pixel(f, left - 3, 32), rgb(0, 0, 0)), kFlat);
    EXPECT_LE(channel_error(pixel(f, 64, 2), rgb(0, 0, 0)), kFlat);
}

TEST(Motion, ShapeFillsItsBox) {
    auto s = testing::small_spec();
    spec::Clip c;
    c.asset = spec::ShapeAsset{spec::ShapeKind::ellipse, {rgb(0, 1, 0), {}}, {}};
    c.length = spec::Time::at(1);
    c.layout.width = spec::Length{32, spec::Unit::px};
    c.layout.height = spec::Length{32, spec::Unit::px};
    add_track(s, {c});
    auto f = frame_at(planned(s), 0);
    EXPECT_LE(channel_error(pixel(f, 32, 24), rgb(0, 1, 0)), kFlat);
    EXPECT_LE(channel_error(pixel(f, 17, 9), rgb(0, 0, 0)), kFlat);  // outside the ellipse, inside the box
}

}  // namespace
}  // namespace vidgen::render
