#include "media/encoder.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "fixtures.hpp"
#include "media/probe.hpp"
#include "media_fixtures.hpp"

namespace vidgen::media {
namespace {

using testing::TempDir;

// The four-character types of the top-level boxes of an ISO-BMFF file, in file order.
std::vector<std::string> top_level_boxes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::string> boxes;
    std::size_t at = 0;
    while (at + 8 <= bytes.size()) {
        std::uint64_t size = 0;
        for (int i = 0; i < 4; ++i) size = (size << 8) | static_cast<unsigned char>(bytes[at + i]);
        boxes.push_back(bytes.substr(at + 4, 4));
        if (size == 1 && at + 16 <= bytes.size()) {
            size = 0;
            for (int i = 8; i < 16; ++i) size = (size << 8) | static_cast<unsigned char>(bytes[at + i]);
        }
        if (size < 8) break;
        at += size;
    }
    return boxes;
}

EncoderSettings settings_for(const std::filesystem::path& path, Container container, int width, int height) {
    EncoderSettings s;
    s.path = path;
    s.container = container;
    s.width = width;
    s.height = height;
    s.audio = container != Container::gif;
    s.preset = "ultrafast";
    return s;
}

TEST(Encoder, Mp4HasExactRateDurationCodecsColourTagsAndFaststart) {
    TempDir dir;
    const auto s = settings_for(dir / "out.mp4", Container::mp4, 1280, 720);
    testing::write_test_video(s, 60);
    auto info = probe(s.path);
    ASSERT_TRUE(info) << info.error().to_string();
    EXPECT_NEAR(info->duration, 2.0, 1.0 / 30);
    const StreamInfo* video = info->video();
    ASSERT_NE(video, nullptr);
    EXPECT_EQ(video->codec, "h264");
    EXPECT_EQ(video->width, 1280);
    EXPECT_EQ(video->height, 720);
    EXPECT_DOUBLE_EQ(video->fps, 30.0);
    EXPECT_FALSE(video->variable_frame_rate);
    EXPECT_NEAR(video->duration, 2.0, 1.0 / 30);
    EXPECT_EQ(video->color_space, "bt709");
    EXPECT_EQ(video->color_primaries, "bt709");
    EXPECT_EQ(video->color_transfer, "bt709");
    EXPECT_EQ(video->color_range, "tv");
    const StreamInfo* audio = info->audio();
    ASSERT_NE(audio, nullptr);
    EXPECT_EQ(audio->codec, "aac");
    EXPECT_EQ(audio->sample_rate, 48000);
    EXPECT_EQ(audio->channels, 2);
    EXPECT_NEAR(audio->duration, 2.0, 0.05);
    const auto boxes = top_level_boxes(s.path);
    const auto moov = std::find(boxes.begin(), boxes.end(), "moov");
    const auto mdat = std::find(boxes.begin(), boxes.end(), "mdat");
    ASSERT_NE(moov, boxes.end());
    ASSERT_NE(mdat, boxes.end());
    EXPECT_LT(moov - boxes.begin(), mdat - boxes.begin()) << "moov must come before mdat (faststart)";
}

TEST(Encoder, Mp4BelowHdIsTaggedBt601AndKeepsNtscRate) {
    TempDir dir;
    auto s = settings_for(dir / "small.mp4", Container::mp4, 640, 360);
    s.fps_num = 30000;
    s.fps_den = 1001;
    testing::write_test_video(s, 30);
    auto info = probe(s.path);
    ASSERT_TRUE(info) << info.error().to_string();
    ASSERT_NE(info->video(), nullptr);
    EXPECT_NEAR(info->video()->fps, 30000.0 / 1001, 1e-9);
    EXPECT_EQ(info->video()->color_space, "smpte170m");
    EXPECT_EQ(info->video()->color_range, "tv");
}

TEST(Encoder, WebmHasVp9OpusAndDuration) {
    TempDir dir;
    const auto s = settings_for(dir / "out.webm", Container::webm, 1280, 720);
    testing::write_test_video(s, 60);
    auto info = probe(s.path);
    ASSERT_TRUE(info) << info.error().to_string();
    EXPECT_EQ(info->format, "matroska,webm");
    EXPECT_NEAR(info->duration, 2.0, 1.0 / 30 + 0.01);
    ASSERT_NE(info->video(), nullptr);
    EXPECT_EQ(info->video()->codec, "vp9");
    EXPECT_EQ(info->video()->width, 1280);
    EXPECT_DOUBLE_EQ(info->video()->fps, 30.0);
    EXPECT_EQ(info->video()->color_space, "bt709");
    ASSERT_NE(info->audio(), nullptr);
    EXPECT_EQ(info->audio()->codec, "opus");
    EXPECT_EQ(info->audio()->sample_rate, 48000);
    EXPECT_EQ(info->audio()->channels, 2);
}

TEST(Encoder, GifHasPaletteFramesAndNoAudio) {
    TempDir dir;
    auto s = settings_for(dir / "out.gif", Container::gif, 160, 90);
    s.fps_num = 10;
    testing::write_test_video(s, 20);
    auto info = probe(s.path);
    ASSERT_TRUE(info) << info.error().to_string();
    EXPECT_EQ(info->format, "gif");
    EXPECT_NEAR(info->duration, 2.0, 0.1);
    ASSERT_NE(info->video(), nullptr);
    EXPECT_EQ(info->video()->codec, "gif");
    EXPECT_EQ(info->video()->width, 160);
    EXPECT_EQ(info->audio(), nullptr);
}

TEST(Encoder, SharedFrameRepeatsWithoutCopy) {
    TempDir dir;
    const auto s = settings_for(dir / "repeat.mp4", Container::mp4, 320, 240);
    auto encoder = Encoder::open(s);
    ASSERT_TRUE(encoder) << encoder.error().to_string();
    FrameConverter converter(s);
    auto frame = converter.convert(Bitmap(320, 240));
    ASSERT_TRUE(frame);
    for (int i = 0; i < 9; ++i) ASSERT_TRUE((*encoder)->write_video(frame->share()));
    ASSERT_TRUE((*encoder)->write_video(std::move(*frame)));
    ASSERT_TRUE((*encoder)->finish());
    auto info = probe(s.path);
    ASSERT_TRUE(info);
    EXPECT_NEAR(info->video()->duration, 10.0 / 30, 1e-6);
}

TEST(Encoder, RefusesOddSizeAndWrongFrameSize) {
    TempDir dir;
    EXPECT_EQ(Encoder::open(settings_for(dir / "odd.mp4", Container::mp4, 321, 240)).error().code,
              Code::invalid_argument);
    FrameConverter converter(settings_for(dir / "x.mp4", Container::mp4, 320, 240));
    EXPECT_FALSE(converter.convert(Bitmap(640, 480)));
}

}  // namespace
}  // namespace vidgen::media
