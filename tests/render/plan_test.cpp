// Planning against real media: the soundtrack and video sound in the plan's mix, rotated sources,
// ranges.
#include "render/plan.hpp"

#include <gtest/gtest.h>

#include "audio_support.hpp"
#include "media/image.hpp"
#include "support.hpp"

namespace vidgen::render {
namespace {

using testing::add_track;
using testing::channel_error;
using testing::color_clip;
using testing::rgb;

// The plan's whole mix.
std::vector<float> mix_of(const Plan& plan) {
    AudioMixer mixer = audio_mixer(plan);
    auto all = mixer.next(std::size_t(plan.duration * 48000 + 1));
    EXPECT_TRUE(all) << all.error().to_string();
    return all ? std::vector<float>(all->begin(), all->end()) : std::vector<float>{};
}

float left_at(const std::vector<float>& mix, double seconds) {
    return mix[2 * std::size_t(std::lround(seconds * 48000))];
}

TEST(PlanAudio, SoundtrackVolumeLoopAndFadeOut) {
    testing::TempDir dir;
    testing::write_wav(dir.path() / "c.wav", 0.5, [](double) { return 0.5; });
    auto s = testing::small_spec(64, 48, 10);
    s.timeline.soundtrack = spec::Soundtrack{{"c.wav", "/timeline/soundtrack/src"}, {0.5, 0, 1}, true};
    add_track(s, {color_clip(rgb(0, 0, 0), 0, 3)});
    RenderOptions options;
    options.base_dir = dir.path();
    auto p = plan(s, options);
    ASSERT_TRUE(p) << p.error().to_string();
    EXPECT_TRUE(p->plan->has_audio);
    auto mix = mix_of(*p->plan);
    ASSERT_EQ(mix.size(), 2u * 3 * 48000);
    EXPECT_NEAR(left_at(mix, 0.25), 0.25, 1e-3);
    EXPECT_NEAR(left_at(mix, 1.75), 0.25, 1e-3);  // looped
    EXPECT_NEAR(left_at(mix, 2.5), 0.125, 2e-3);  // half-way through the fade-out
    EXPECT_NEAR(mix[mix.size() - 2], 0, 1e-3);
}

TEST(PlanAudio, RangeMixesOnlyTheRenderedPart) {
    testing::TempDir dir;
    testing::write_wav(dir.path() / "ramp.wav", 4, [](double t) { return t / 4; });
    auto s = testing::small_spec(64, 48, 10);
    s.output.range = spec::TimeRange{2, 1};
    spec::Clip audio;
    audio.asset = spec::AudioAsset{{"ramp.wav", "/src"}, 0, 1, false, {}};
    audio.length.kind = spec::Time::Kind::automatic;
    add_track(s, {audio});
    RenderOptions options;
    options.base_dir = dir.path();
    auto p = plan(s, options);
    ASSERT_TRUE(p) << p.error().to_string();
    EXPECT_EQ(p->frame_count, 10);
    EXPECT_NEAR(p->plan->timeline_duration, 4, 1e-3);
    auto mix = mix_of(*p->plan);
    EXPECT_NEAR(left_at(mix, 0), 0.5, 1e-3);
    EXPECT_NEAR(left_at(mix, 0.5), 2.5 / 4, 1e-3);
}

TEST(PlanVideo, RotatedSourceIsDrawnUprightWithAWarning) {
    auto s = testing::small_spec(64, 48, 10);
    s.timeline.background = rgb(0, 1, 0);
    spec::Clip video;
    video.asset = spec::VideoAsset{{"media/rotated.mp4", "/timeline/tracks/0/clips/0/src"}, 0, 1, false, {}};
    video.length = spec::Time::at(1);
    video.layout.fit = spec::Fit::contain;
    add_track(s, {video});
    RenderOptions options;
    options.base_dir = VIDGEN_TEST_DATA;
    auto p = plan(s, options);
    ASSERT_TRUE(p) << p.error().to_string();
    ASSERT_EQ(p->warnings.size(), 1u);
    EXPECT_EQ(p->warnings[0].pointer, "/timeline/tracks/0/clips/0/src");
    const PlannedClip& pc = p->plan->clips[0];
    EXPECT_DOUBLE_EQ(pc.content.w, 24);  // 32×64 upright, contained in 64×48
    EXPECT_DOUBLE_EQ(pc.content.h, 48);
    testing::TempDir dir;
    ASSERT_TRUE(render_frame(*p, 0.5, dir.path() / "f.png"));
    auto f = media::load_image(dir.path() / "f.png", 64, 48);
    ASSERT_TRUE(f);
    EXPECT_LE(channel_error(testing::pixel(*f, 10, 24), rgb(0, 1, 0)), 2);
    EXPECT_LE(channel_error(testing::pixel(*f, 32, 20), rgb(1, 0, 0)), 12);  // lossy H.264 source
}

TEST(PlanVideo, ContainBlurFillsTheBoxAroundAVideo) {
    auto s = testing::small_spec(64, 48, 10);
    s.timeline.background = rgb(0, 1, 0);
    spec::Clip video;
    video.asset = spec::VideoAsset{{"media/rotated.mp4", "/src"}, 0, 1, false, {}};
    video.length = spec::Time::at(1);
    video.layout.fit = spec::Fit::contain_blur;
    add_track(s, {video});
    RenderOptions options;
    options.base_dir = VIDGEN_TEST_DATA;
    auto p = plan(s, options);
    ASSERT_TRUE(p) << p.error().to_string();
    testing::TempDir dir;
    ASSERT_TRUE(render_frame(*p, 0.5, dir.path() / "f.png"));
    auto f = media::load_image(dir.path() / "f.png", 64, 48);
    ASSERT_TRUE(f);
    auto side = testing::pixel(*f, 4, 24);  // beside the sharp copy: the blurred, mostly red frame
    EXPECT_GT(side.r, 150);
    EXPECT_LT(side.g, 60);
}

TEST(PlanVideo, LoopedVideoRepeatsItsSource) {
    testing::TempDir dir;
    auto source_spec = testing::small_spec(64, 48, 10);
    add_track(source_spec, {color_clip(rgb(1, 0, 0), 0, 1), color_clip(rgb(0, 0, 1), 1, 1)});
    ASSERT_TRUE(render(*plan(source_spec, {}), dir.path() / "source.mp4", {}));
    auto s = testing::small_spec(64, 48, 10);
    spec::Clip video;
    video.asset = spec::VideoAsset{{"source.mp4", "/src"}, 0, 1, true, {}};
    video.length = spec::Time::at(5);
    add_track(s, {video});
    RenderOptions options;
    options.base_dir = dir.path();
    auto p = plan(s, options);
    ASSERT_TRUE(p) << p.error().to_string();
    auto state = sample_frame(*p->plan, 2.3);
    ASSERT_EQ(state.source_times.size(), 1u);
    EXPECT_NEAR(state.source_times[0], 0.3, 1e-9);
    EXPECT_EQ(state.layers[0].source_frame, 3);
}

}  // namespace
}  // namespace vidgen::render
