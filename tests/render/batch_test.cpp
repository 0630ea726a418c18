// Batches: shared stretches encoded once and joined, rows' own stretches encoded per row.
#include "render/batch.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "audio_support.hpp"
#include "media/image.hpp"
#include "media/probe.hpp"
#include "media/video_decoder.hpp"
#include "render/batch_segments.hpp"
#include "render/plan.hpp"
#include "spec/parse.hpp"
#include "support.hpp"

namespace vidgen::render {
namespace {

using Signatures = std::vector<std::vector<std::uint64_t>>;

TEST(SplitSegments, SharesWhereEveryRowAgrees) {
    Signatures rows{{1, 1, 1, 5, 6, 2, 2, 2}, {1, 1, 1, 7, 8, 2, 2, 2}};
    auto segments = split_segments(rows, 2);
    ASSERT_EQ(segments.size(), 3u);
    EXPECT_TRUE(segments[0].shared);
    EXPECT_EQ(segments[0].count, 3);
    EXPECT_FALSE(segments[1].shared);
    EXPECT_EQ(segments[1].first, 3);
    EXPECT_EQ(segments[1].count, 2);
    EXPECT_TRUE(segments[2].shared);
    EXPECT_EQ(segments[2].first, 5);
}

TEST(SplitSegments, ShortSharedStretchesJoinTheirNeighbours) {
    Signatures rows{{1, 9, 3, 3, 4}, {2, 9, 5, 3, 6}};
    auto segments = split_segments(rows, 2);
    ASSERT_EQ(segments.size(), 1u);
    EXPECT_FALSE(segments[0].shared);
    EXPECT_EQ(segments[0].count, 5);
}

TEST(SplitSegments, ASingleRowSharesNothing) {
    auto segments = split_segments(Signatures{{1, 1, 1, 1}}, 1);
    ASSERT_EQ(segments.size(), 1u);
    EXPECT_FALSE(segments[0].shared);
}

TEST(SplitStill, LongRepeatsBecomeStillPieces) {
    std::vector<std::uint64_t> frames{1, 2, 3, 3, 3, 3, 4, 5, 5, 6};
    auto pieces = split_still({0, 10, true, false}, frames, 3);
    ASSERT_EQ(pieces.size(), 3u);
    EXPECT_FALSE(pieces[0].still);
    EXPECT_EQ(pieces[0].count, 2);
    EXPECT_TRUE(pieces[1].still);
    EXPECT_EQ(pieces[1].first, 2);
    EXPECT_EQ(pieces[1].count, 4);
    EXPECT_FALSE(pieces[2].still);
    EXPECT_EQ(pieces[2].count, 4);  // the short repeat of 5 stays with its moving neighbours
    for (const auto& p : pieces) EXPECT_TRUE(p.shared);
}

TEST(SplitStill, WorksInsideASegmentThatStartsLater) {
    std::vector<std::uint64_t> frames{9, 9, 9, 9, 7, 7, 7};
    auto pieces = split_still({4, 3, false, false}, frames, 2);
    ASSERT_EQ(pieces.size(), 1u);
    EXPECT_TRUE(pieces[0].still);
    EXPECT_EQ(pieces[0].first, 4);
    EXPECT_EQ(pieces[0].count, 3);
}

constexpr const char* kTemplate = R"({
  "output": {"width": 160, "height": 120, "fps": 25, "format": "{{format|mp4}}"},
  "timeline": {"background": "#808080", "duration": 3,
    "soundtrack": {"src": "{{dir}}/tone.wav"},
    "tracks": [{"clips": [{"type": "color", "color": "{{c}}", "start": 1, "length": 1,
                           "opacity": [{"time": 0, "value": "{{from|1}}"}, {"time": 1, "value": 1}]}]}]}
})";

PlanHandle plan_row(const std::filesystem::path& dir, const char* colour, const char* format = "mp4",
                    double fade_from = 1) {
    boost::json::object data{{"dir", dir.string()}, {"c", colour}, {"format", format}, {"from", fade_from}};
    auto s = spec::parse(kTemplate, data);
    EXPECT_TRUE(s) << s.error().errors.front().to_string();
    auto planned = plan(*s, {});
    EXPECT_TRUE(planned) << planned.error().to_string();
    return *planned;
}

// Red, green and blue at the centre of the frame showing at `t`.
std::array<int, 3> colour_at(const std::filesystem::path& file, double t) {
    auto decoder = media::VideoDecoder::open(file, 16, 12);
    EXPECT_TRUE(decoder) << decoder.error().to_string();
    auto frame = (*decoder)->frame_at(t);
    EXPECT_TRUE(frame);
    std::uint32_t p = (*frame)->row(6)[8];
    return {int(p >> 16 & 0xFF), int(p >> 8 & 0xFF), int(p & 0xFF)};
}

void expect_colour(const std::array<int, 3>& got, std::array<int, 3> want) {
    for (int i = 0; i < 3; ++i) EXPECT_NEAR(got[i], want[i], 8) << "channel " << i;
}

TEST(BatchRenderer, RendersEveryRowInFullWithOnePictureAStill) {
    testing::TempDir dir;
    testing::write_wav(dir.path() / "tone.wav", 4, [](double t) { return 0.3 * std::sin(440 * 6.2832 * t); });
    std::vector<BatchRow> rows{{plan_row(dir.path(), "#FF0000"), dir.path() / "red.mp4"},
                               {plan_row(dir.path(), "#00FF00"), dir.path() / "green.mp4"},
                               {plan_row(dir.path(), "#0000FF"), dir.path() / "blue.mp4"}};
    BatchRenderer batch({});
    auto stats = batch.render(rows);
    ASSERT_TRUE(stats) << stats.error().to_string();
    EXPECT_EQ(stats->frames, 3 * 75);
    EXPECT_EQ(stats->frames_encoded, 3 * 3);  // each row's stretches are still: intro, middle, outro

    const std::array<std::array<int, 3>, 3> middle{{{255, 0, 0}, {0, 255, 0}, {0, 0, 255}}};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        auto info = media::probe(rows[i].out);
        ASSERT_TRUE(info) << info.error().to_string();
        EXPECT_NEAR(info->duration, 3.0, 1.0 / 25);
        ASSERT_NE(info->audio(), nullptr);
        EXPECT_NEAR(info->audio()->duration, 3.0, 0.03);
        expect_colour(colour_at(rows[i].out, 0.5), {128, 128, 128});
        expect_colour(colour_at(rows[i].out, 1.5), middle[i]);
        expect_colour(colour_at(rows[i].out, 2.5), {128, 128, 128});
        EXPECT_FALSE(std::filesystem::exists(rows[i].out.string() + ".partial"));
    }
}

TEST(BatchRenderer, EncodesMovingStretchesPerRow) {
    testing::TempDir dir;
    testing::write_wav(dir.path() / "tone.wav", 4, [](double t) { return 0.3 * std::sin(440 * 6.2832 * t); });
    std::vector<BatchRow> rows{{plan_row(dir.path(), "#FF0000", "mp4", 0.2), dir.path() / "red.mp4"},
                               {plan_row(dir.path(), "#0000FF", "mp4", 0.2), dir.path() / "blue.mp4"}};
    BatchRenderer batch({});
    auto stats = batch.render(rows);
    ASSERT_TRUE(stats) << stats.error().to_string();
    EXPECT_EQ(stats->frames_encoded, 2 * (1 + 25 + 1));  // the middle fades in: every frame differs
    expect_colour(colour_at(rows[0].out, 1.96), {255, 0, 0});
    expect_colour(colour_at(rows[1].out, 2.5), {128, 128, 128});
    auto info = media::probe(rows[1].out);
    ASSERT_TRUE(info);
    EXPECT_NEAR(info->duration, 3.0, 1.0 / 25);
}

// Every row fades in from black to grey over its first second before its own colour shows.
constexpr const char* kFadingIntro = R"({
  "output": {"width": 160, "height": 120, "fps": 25, "format": "mp4"},
  "timeline": {"background": "#000000", "duration": 3,
    "tracks": [{"clips": [{"type": "color", "color": "#808080", "start": 0, "length": 1,
                           "opacity": [{"time": 0, "value": 0}, {"time": 1, "value": 1}]},
                          {"type": "color", "color": "{{c}}", "start": 1, "length": 2}]}]}
})";

PlanHandle fading_row(const char* colour) {
    auto s = spec::parse(kFadingIntro, boost::json::object{{"c", colour}});
    EXPECT_TRUE(s) << s.error().errors.front().to_string();
    auto planned = plan(*s, {});
    EXPECT_TRUE(planned) << planned.error().to_string();
    return *planned;
}

TEST(BatchRenderer, EncodesSharedMovingStretchesOnceAcrossGroups) {
    testing::TempDir dir;
    BatchRenderer batch({});
    std::vector<BatchRow> first{{fading_row("#FF0000"), dir.path() / "a.mp4"},
                                {fading_row("#00FF00"), dir.path() / "b.mp4"}};
    auto stats = batch.render(first);
    ASSERT_TRUE(stats) << stats.error().to_string();
    EXPECT_EQ(stats->frames_encoded, 25 + 2);  // the shared fade once, then each row's still colour
    std::vector<BatchRow> second{{fading_row("#FFFF00"), dir.path() / "c.mp4"},
                                 {fading_row("#00FFFF"), dir.path() / "d.mp4"}};
    stats = batch.render(second);
    ASSERT_TRUE(stats) << stats.error().to_string();
    EXPECT_EQ(stats->frames_encoded, 2);  // only the rows' own stills
    expect_colour(colour_at(dir.path() / "d.mp4", 2.5), {0, 255, 255});
    expect_colour(colour_at(dir.path() / "d.mp4", 0.98), {124, 124, 124});
    expect_colour(colour_at(dir.path() / "a.mp4", 1.5), {255, 0, 0});
}

TEST(BatchRenderer, RowsOfAGroupShareDecodedImages) {
    testing::TempDir dir;
    media::Bitmap red(64, 48);
    for (int y = 0; y < 48; ++y) std::fill_n(red.row(y), 64, 0xFFFF0000u);
    ASSERT_TRUE(media::save_image(red, dir.path() / "red.png"));
    auto s = testing::small_spec(64, 48, 10);
    spec::Clip image;
    image.asset = spec::ImageAsset{{(dir.path() / "red.png").string(), "/src"}};
    image.length = spec::Time::at(1);
    testing::add_track(s, {image});
    RenderOptions options;
    options.shared_images = make_image_cache();
    auto first = plan(s, options), second = plan(s, options), alone = plan(s, {});
    ASSERT_TRUE(first && second && alone);
    EXPECT_EQ(*first->plan->clips[0].raster.get(), *second->plan->clips[0].raster.get());
    EXPECT_NE(*first->plan->clips[0].raster.get(), *alone->plan->clips[0].raster.get());
}

TEST(BatchRenderer, RowsOfOtherFormatsRenderOneByOne) {
    testing::TempDir dir;
    testing::write_wav(dir.path() / "tone.wav", 4, [](double t) { return 0.3 * std::sin(440 * 6.2832 * t); });
    auto gif = plan_row(dir.path(), "#FF0000", "gif");
    auto mp4 = plan_row(dir.path(), "#00FF00");
    std::vector<BatchRow> rows{{gif, dir.path() / "a.gif"}, {mp4, dir.path() / "b.mp4"}};
    BatchRenderer batch({});
    auto stats = batch.render(rows);
    ASSERT_TRUE(stats) << stats.error().to_string();
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "a.gif"));
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "b.mp4"));
}

}  // namespace
}  // namespace vidgen::render
