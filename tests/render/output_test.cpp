// Encoder settings from the spec's output, and the other containers end to end.
#include "render/encoder_settings.hpp"

#include <gtest/gtest.h>

#include "media/probe.hpp"
#include "support.hpp"

namespace vidgen::render {
namespace {

using testing::add_track;
using testing::color_clip;
using testing::rgb;

TEST(Output, FrameRatesBecomeFractions) {
    EXPECT_EQ(fps_fraction(30).num, 30);
    EXPECT_EQ(fps_fraction(30).den, 1);
    EXPECT_EQ(fps_fraction(29.97).num, 30000);
    EXPECT_EQ(fps_fraction(29.97).den, 1001);
    EXPECT_EQ(fps_fraction(59.94).num, 60000);
    EXPECT_EQ(fps_fraction(23.976).num, 24000);
    EXPECT_EQ(fps_fraction(12.5).num, 12500);
    EXPECT_EQ(fps_fraction(12.5).den, 1000);
}

PlanHandle colour_plan(spec::Format format, spec::Quality quality) {
    auto s = testing::small_spec(64, 48, 10);
    s.output.format = format;
    s.output.quality = quality;
    add_track(s, {color_clip(rgb(1, 0, 0), 0, 1)});
    auto p = plan(s, {});
    if (!p) throw std::runtime_error(p.error().to_string());
    return *p;
}

TEST(Output, QualityPicksCrfAndPresetAndCrfOverrides) {
    auto draft = encoder_settings(*colour_plan(spec::Format::mp4, spec::Quality::draft).plan, "x.mp4", 0);
    EXPECT_EQ(draft.crf, 28);
    EXPECT_STREQ(draft.preset, "ultrafast");
    auto high = encoder_settings(*colour_plan(spec::Format::webm, spec::Quality::high).plan, "x.webm", 0);
    EXPECT_EQ(high.crf, 18);
    EXPECT_STREQ(high.preset, "medium");
    EXPECT_EQ(high.container, media::Container::webm);
    EXPECT_FALSE(high.audio);  // nothing makes sound
}

class Containers : public ::testing::TestWithParam<spec::Format> {};

TEST_P(Containers, RenderAndProbe) {
    testing::TempDir dir;
    auto out = dir.path() / (GetParam() == spec::Format::gif ? "out.gif" : "out.webm");
    auto stats = render(colour_plan(GetParam(), spec::Quality::draft), out, {});
    ASSERT_TRUE(stats) << stats.error().to_string();
    auto info = media::probe(out);
    ASSERT_TRUE(info) << info.error().to_string();
    ASSERT_NE(info->video(), nullptr);
    EXPECT_EQ(info->video()->width, 64);
    EXPECT_EQ(info->video()->height, 48);
    EXPECT_NEAR(info->duration, 1.0, 0.1 + 1e-9);
}

INSTANTIATE_TEST_SUITE_P(WebmAndGif, Containers, ::testing::Values(spec::Format::webm, spec::Format::gif),
                         [](const auto& info) { return info.param == spec::Format::gif ? "gif" : "webm"; });

}  // namespace
}  // namespace vidgen::render
