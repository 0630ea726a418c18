// Segment-parallel rendering: spans rendered apart and joined equal the single render.
#include "render/segments.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "audio_support.hpp"
#include "media/audio_decoder.hpp"
#include "media/image.hpp"
#include "media/probe.hpp"
#include "media/video_decoder.hpp"
#include "spec/parse.hpp"
#include "support.hpp"

namespace vidgen::render {
namespace {

// 6 s at 25 fps with sound: a fade (every frame moves), a still stretch, and a colour change in the
// middle of the second span.
constexpr const char* kSpec = R"({
  "output": {"width": 160, "height": 120, "fps": 25},
  "timeline": {"background": "#202020", "duration": 6,
    "soundtrack": {"src": "{{dir}}/tone.wav", "fade_in": 0.5},
    "tracks": [{"clips": [
      {"type": "color", "color": "#FF0000", "start": 0, "length": 2,
       "opacity": [{"time": 0, "value": 0}, {"time": 2, "value": 1}]},
      {"type": "color", "color": "#00FF00", "start": 3.3, "length": 1.5},
      {"type": "color", "color": "#0000FF", "start": 4.8, "length": 1.2,
       "opacity": [{"time": 0, "value": 1}, {"time": 1.2, "value": 0.2}]}]}]}
})";

PlanHandle plan_in(const std::filesystem::path& dir) {
    testing::write_wav(dir / "tone.wav", 7, [](double t) { return 0.4 * std::sin(330 * 6.2832 * t); });
    auto s = spec::parse(kSpec, boost::json::object{{"dir", dir.string()}});
    EXPECT_TRUE(s) << s.error().errors.front().to_string();
    auto planned = plan(*s, {});
    EXPECT_TRUE(planned) << planned.error().to_string();
    return *planned;
}

std::uint32_t centre_at(const std::filesystem::path& file, double t) {
    auto decoder = media::VideoDecoder::open(file, 16, 12);
    EXPECT_TRUE(decoder) << decoder.error().to_string();
    auto frame = (*decoder)->frame_at(t);
    EXPECT_TRUE(frame);
    return frame ? (*frame)->row(6)[8] : 0;
}

int channel_gap(std::uint32_t a, std::uint32_t b) {
    int most = 0;
    for (int shift : {0, 8, 16})
        most = std::max(most, std::abs(int(a >> shift & 255) - int(b >> shift & 255)));
    return most;
}

TEST(SegmentSpans, CoverEveryFrameAndMergeAShortTail) {
    testing::TempDir dir;
    auto handle = plan_in(dir.path());
    auto spans = segment_spans(handle, 2.2);  // 55 frames: 55 + 55 + 40
    ASSERT_EQ(spans.size(), 3u);
    EXPECT_EQ(spans[0].first, 0);
    EXPECT_EQ(spans[1].first, 55);
    EXPECT_EQ(spans[2].first + spans[2].count, 150);
    auto merged = segment_spans(handle, 2.8);  // 70 + 70 + 10: the 10 join the second
    ASSERT_EQ(merged.size(), 2u);
    EXPECT_EQ(merged[1].count, 80);
    EXPECT_TRUE(segment_spans(handle, 4).empty());  // fewer than two whole spans: not worth splitting
    EXPECT_TRUE(segment_spans(handle, 0).empty());
}

TEST(Segments, JoinedSpansEqualTheSingleRenderInFramesDurationAndSync) {
    testing::TempDir dir;
    auto handle = plan_in(dir.path());
    ASSERT_TRUE(render(handle, dir.path() / "single.mp4", {}));

    auto spans = segment_spans(handle, 1.5);
    ASSERT_EQ(spans.size(), 4u);
    std::vector<std::filesystem::path> files;
    for (std::size_t i = spans.size(); i-- > 0;) {  // out of order, as workers may finish
        auto file = dir.path() / ("segment-" + std::to_string(i) + ".runs");
        auto stats = render_segment(handle, spans[i], file, {});
        ASSERT_TRUE(stats) << stats.error().to_string();
        EXPECT_EQ(stats->frames, spans[i].count);
        files.insert(files.begin(), file);
    }
    auto joined = dir.path() / "joined.mp4";
    ASSERT_TRUE(join_segments(handle, files, joined, {}));
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "joined.mp4.partial"));

    auto single = media::probe(dir.path() / "single.mp4");
    auto parts = media::probe(joined);
    ASSERT_TRUE(single && parts);
    ASSERT_TRUE(parts->video() && parts->audio());
    EXPECT_DOUBLE_EQ(parts->video()->duration, single->video()->duration);
    EXPECT_NEAR(parts->video()->duration * 25, 150, 1e-6);
    EXPECT_DOUBLE_EQ(parts->video()->fps, 25);
    EXPECT_DOUBLE_EQ(parts->audio()->duration, single->audio()->duration);
    EXPECT_DOUBLE_EQ(parts->duration, single->duration);

    auto sound_single = media::decode_audio(dir.path() / "single.mp4", 0, 10);
    auto sound_parts = media::decode_audio(joined, 0, 10);
    ASSERT_TRUE(sound_single && sound_parts);
    EXPECT_EQ(sound_parts->size(), sound_single->size());
    EXPECT_EQ(*sound_parts, *sound_single);  // the same samples at the same times: in sync

    for (double t : {0.0, 1.0, 1.44, 1.48, 1.52, 2.96, 3.0, 3.32, 4.0, 4.48, 4.52, 5.96}) {
        EXPECT_LE(channel_gap(centre_at(joined, t), centre_at(dir.path() / "single.mp4", t)), 6) << t;
    }
}

TEST(Segments, JoinRefusesSegmentsThatDoNotCoverTheVideo) {
    testing::TempDir dir;
    auto handle = plan_in(dir.path());
    auto spans = segment_spans(handle, 3);
    ASSERT_EQ(spans.size(), 2u);
    auto first = dir.path() / "0.runs";
    ASSERT_TRUE(render_segment(handle, spans[0], first, {}));
    auto joined = join_segments(handle, std::span(&first, 1), dir.path() / "out.mp4", {});
    ASSERT_FALSE(joined);
    EXPECT_NE(joined.error().message.find("75 frames of 150"), std::string::npos) << joined.error().message;
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "out.mp4"));
}

}  // namespace
}  // namespace vidgen::render
