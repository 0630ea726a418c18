// End-to-end renders into real files, checked by probing and decoding them.
#include "render/render.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <thread>

#include "audio_support.hpp"
#include "media/image.hpp"
#include "media/probe.hpp"
#include "media/video_decoder.hpp"
#include "support.hpp"

namespace vidgen::render {
namespace {

using testing::add_track;
using testing::channel_error;
using testing::color_clip;
using testing::pixel;
using testing::rgb;

spec::Clip audio_clip(const std::filesystem::path& path, double start, double length) {
    spec::Clip c;
    c.asset = spec::AudioAsset{{path.string(), "/src"}, 0, 1, false, {}};
    c.start = spec::Time::at(start);
    c.length = spec::Time::at(length);
    return c;
}

TEST(Render, Mp4WithAudioProbesAsAsked) {
    testing::TempDir dir;
    testing::write_wav(dir.path() / "tone.wav", 3, [](double t) { return 0.3 * std::sin(440 * 6.2832 * t); });
    auto s = testing::small_spec(320, 240, 25);
    auto red = color_clip(rgb(1, 0, 0), 0, 2);
    red.transition_in = {spec::TransitionType::fade, 0.5, {}};
    add_track(s, {red});
    add_track(s, {audio_clip(dir.path() / "tone.wav", 0.5, 1)});
    auto planned = plan(s, {});
    ASSERT_TRUE(planned) << planned.error().to_string();
    auto out = dir.path() / "out.mp4";
    auto stats = render(*planned, out, {});
    ASSERT_TRUE(stats) << stats.error().to_string();
    EXPECT_EQ(stats->frames, 50);
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "out.mp4.partial"));
    auto info = media::probe(out);
    ASSERT_TRUE(info) << info.error().to_string();
    ASSERT_NE(info->video(), nullptr);
    ASSERT_NE(info->audio(), nullptr);
    EXPECT_NEAR(info->duration, 2.0, 1.0 / 25);
    EXPECT_NEAR(info->video()->fps, 25, 0.01);
    EXPECT_EQ(info->video()->width, 320);
    EXPECT_EQ(info->video()->height, 240);
    EXPECT_EQ(info->audio()->sample_rate, 48000);
}

TEST(Render, StaticStretchesAreNotComposedAgain) {
    testing::TempDir dir;
    auto s = testing::small_spec(64, 48, 10);
    auto c = color_clip(rgb(0, 0, 1), 0, 2);
    c.transition_in = {spec::TransitionType::fade, 1, {}};
    add_track(s, {c});
    auto planned = plan(s, {});
    ASSERT_TRUE(planned);
    auto stats = render(*planned, dir.path() / "out.mp4", {});
    ASSERT_TRUE(stats) << stats.error().to_string();
    EXPECT_EQ(stats->frames, 20);
    EXPECT_EQ(stats->static_frames, 9);  // frames 11..19 repeat frame 10
}

TEST(Render, CancelStopsAndLeavesNoOutput) {
    testing::TempDir dir;
    auto s = testing::small_spec(320, 240, 30);
    auto c = color_clip(rgb(1, 1, 1), 0, 20);
    c.layout.rotation.keys = {{0, 0, {}}, {20, 360, {}}};
    add_track(s, {c});
    auto planned = plan(s, {});
    ASSERT_TRUE(planned);
    std::atomic<bool> cancel{false};
    RenderOptions options;
    options.cancel = &cancel;
    long reports = 0;
    options.on_progress = [&](const Progress& p) {
        ++reports;
        if (p.frames_done >= 5) cancel = true;
    };
    auto out = dir.path() / "out.mp4";
    auto stats = render(*planned, out, options);
    ASSERT_FALSE(stats);
    EXPECT_EQ(stats.error().code, Code::canceled);
    EXPECT_GE(reports, 1);
    EXPECT_FALSE(std::filesystem::exists(out));
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "out.mp4.partial"));
}

TEST(Render, PngFormatWritesTheFirstFrameOfTheRange) {
    testing::TempDir dir;
    auto s = testing::small_spec(64, 48, 10);
    s.output.format = spec::Format::png;
    s.output.range = spec::TimeRange{1, 1};
    add_track(s, {color_clip(rgb(1, 0, 0), 0, 1), color_clip(rgb(0, 1, 0), 1, 1)});
    auto planned = plan(s, {});
    ASSERT_TRUE(planned);
    EXPECT_EQ(planned->frame_count, 10);
    auto out = dir.path() / "frame.png";
    ASSERT_TRUE(render(*planned, out, {}));
    auto image = media::load_image(out, 64, 48);
    ASSERT_TRUE(image) << image.error().to_string();
    EXPECT_LE(channel_error(pixel(*image, 10, 10), rgb(0, 1, 0)), 2);
}

TEST(Render, VideoClipShowsTheSourceFrameForItsTime) {
    testing::TempDir dir;
    auto source_spec = testing::small_spec(64, 48, 10);
    add_track(source_spec, {color_clip(rgb(1, 0, 0), 0, 1), color_clip(rgb(0, 0, 1), 1, 1)});
    auto source = dir.path() / "source.mp4";
    ASSERT_TRUE(render(*plan(source_spec, {}), source, {}));

    auto s = testing::small_spec(64, 48, 10);
    spec::Clip video;
    video.asset = spec::VideoAsset{{"source.mp4", "/src"}, 0.5, 1, false, {}};
    video.start = spec::Time::at(0);
    video.length.kind = spec::Time::Kind::automatic;
    add_track(s, {video});
    RenderOptions options;
    options.base_dir = dir.path();
    auto planned = plan(s, options);
    ASSERT_TRUE(planned) << planned.error().to_string();
    EXPECT_NEAR(planned->duration, 1.5, 0.1);
    // Lossy H.264 round trip of flat colours: max channel error <= 12.
    ASSERT_TRUE(render_frame(*planned, 0.2, dir.path() / "a.png"));
    ASSERT_TRUE(render_frame(*planned, 1.0, dir.path() / "b.png"));
    auto a = media::load_image(dir.path() / "a.png", 64, 48),
         b = media::load_image(dir.path() / "b.png", 64, 48);
    ASSERT_TRUE(a && b);
    EXPECT_LE(channel_error(pixel(*a, 32, 24), rgb(1, 0, 0)), 12);
    EXPECT_LE(channel_error(pixel(*b, 32, 24), rgb(0, 0, 1)), 12);
}

TEST(Render, OnePlanRendersTwiceConcurrently) {
    testing::TempDir dir;
    auto s = testing::small_spec(64, 48, 10);
    auto c = color_clip(rgb(0, 1, 0), 0, 1);
    c.layout.x.keys = {{0, {0, spec::Unit::px}, {}}, {1, {32, spec::Unit::px}, {}}};
    add_track(s, {c});
    auto planned = plan(s, {});
    ASSERT_TRUE(planned);
    RenderOptions options;
    options.threads = 1;
    Progress last;
    options.on_progress = [&](const Progress& p) { last = p; };
    Result<RenderStats> a, b;
    std::thread other([&] { b = render(*planned, dir.path() / "b.mp4", {}); });
    a = render(*planned, dir.path() / "a.mp4", options);
    other.join();
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->frames, 10);
    EXPECT_EQ(b->frames, 10);
    EXPECT_EQ(last.frames_done, 10);
    EXPECT_EQ(last.frames_total, 10);
}

TEST(Plan, OnlyHttpsUrlsAreFetched) {
    auto s = testing::small_spec();
    spec::Clip c;
    c.asset = spec::ImageAsset{{"http://example.com/a.png", "/timeline/tracks/0/clips/0/src"}};
    c.length = spec::Time::at(1);
    add_track(s, {c});
    auto planned = plan(s, {});
    ASSERT_FALSE(planned);
    EXPECT_EQ(planned.error().code, Code::unsupported);
    EXPECT_EQ(planned.error().pointer, "/timeline/tracks/0/clips/0/src");
}

TEST(Plan, MissingSourceNamesItsPointer) {
    auto s = testing::small_spec();
    spec::Clip c;
    c.asset = spec::ImageAsset{{"nowhere.png", "/timeline/tracks/0/clips/0/src"}};
    c.length = spec::Time::at(1);
    add_track(s, {c});
    auto planned = plan(s, {});
    ASSERT_FALSE(planned);
    EXPECT_EQ(planned.error().code, Code::not_found);
    EXPECT_EQ(planned.error().pointer, "/timeline/tracks/0/clips/0/src");
}

TEST(Plan, AssetIdsNeedTheServer) {
    auto s = testing::small_spec();
    spec::Clip c;
    c.asset = spec::ImageAsset{{"asset:abc", "/timeline/tracks/0/clips/0/src"}};
    c.length = spec::Time::at(1);
    add_track(s, {c});
    auto planned = plan(s, {});
    ASSERT_FALSE(planned);
    EXPECT_EQ(planned.error().code, Code::unsupported);
    EXPECT_EQ(planned.error().pointer, "/timeline/tracks/0/clips/0/src");
}

TEST(Plan, WarnsAboutUpscaledImagesAndClippingAudio) {
    testing::TempDir dir;
    ASSERT_TRUE(media::save_image(media::Bitmap(16, 12), dir.path() / "tiny.png"));
    testing::write_wav(dir.path() / "loud.wav", 1, [](double) { return 0.9; });
    auto s = testing::small_spec(64, 48, 10);
    spec::Clip image;
    image.asset = spec::ImageAsset{{"tiny.png", "/timeline/tracks/0/clips/0/src"}};
    image.length = spec::Time::at(1);
    add_track(s, {image});
    add_track(s, {audio_clip("loud.wav", 0, 1), audio_clip("loud.wav", 0, 1)});
    RenderOptions options;
    options.base_dir = dir.path();
    auto planned = plan(s, options);
    ASSERT_TRUE(planned) << planned.error().to_string();
    ASSERT_EQ(planned->warnings.size(), 2u);
    EXPECT_EQ(planned->warnings[0].pointer, "/timeline/tracks/0/clips/0/src");
    EXPECT_EQ(planned->warnings[1].pointer, "/timeline");
}

TEST(Plan, DescribeListsResolvedClips) {
    auto s = testing::small_spec(64, 48, 10);
    auto second = color_clip(rgb(0, 1, 0), 0, 1);
    second.start.kind = spec::Time::Kind::automatic;
    second.layout.opacity.keys = {{0, 0, {}}, {1, 1, {}}};
    add_track(s, {color_clip(rgb(1, 0, 0), 0, 2), second});
    auto planned = plan(s, {});
    ASSERT_TRUE(planned);
    auto json = boost::json::parse(describe(*planned)).as_object();
    EXPECT_EQ(json["frames"].as_int64(), 30);
    auto clips = json["tracks"].as_array()[0].as_object()["clips"].as_array();
    ASSERT_EQ(clips.size(), 2u);
    EXPECT_EQ(clips[1].as_object()["start"].to_number<double>(), 2.0);
    EXPECT_EQ(clips[1].as_object()["kind"].as_string(), "color");
    EXPECT_TRUE(clips[0].as_object()["static"].as_bool());
    EXPECT_FALSE(clips[1].as_object()["static"].as_bool());
}

}  // namespace
}  // namespace vidgen::render
