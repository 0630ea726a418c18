#include "media/probe.hpp"

#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "media_fixtures.hpp"

namespace vidgen::media {
namespace {

using testing::TempDir;

TEST(Probe, JsonListsFormatAndStreams) {
    ProbeInfo info;
    info.format = "mov,mp4";
    info.duration = 2.5;
    info.size_bytes = 1234;
    StreamInfo video;
    video.kind = StreamInfo::Kind::video;
    video.codec = "h264";
    video.width = 1920;
    video.height = 1080;
    video.fps = 30;
    video.rotation = 90;
    video.color_space = "bt709";
    StreamInfo audio;
    audio.kind = StreamInfo::Kind::audio;
    audio.codec = "a\"a\\c";
    audio.sample_rate = 48000;
    audio.channels = 2;
    info.streams = {video, audio};
    const std::string json = to_json(info);
    EXPECT_NE(json.find(R"("format":"mov,mp4","duration":2.5,"size_bytes":1234)"), std::string::npos) << json;
    EXPECT_NE(json.find(R"("type":"video","codec":"h264")"), std::string::npos) << json;
    EXPECT_NE(json.find(R"("width":1920,"height":1080,"fps":30,"variable_frame_rate":false,"rotation":90)"),
              std::string::npos)
        << json;
    EXPECT_NE(json.find(R"("codec":"a\"a\\c","duration":0,"sample_rate":48000,"channels":2)"),
              std::string::npos)
        << json;
    EXPECT_EQ(info.video()->codec, "h264");
    EXPECT_EQ(info.audio()->sample_rate, 48000);
}

TEST(Probe, ReportsSizeAndNoAudioForAMuteFile) {
    TempDir dir;
    EncoderSettings s;
    s.path = dir / "mute.mp4";
    s.width = 64;
    s.height = 48;
    s.audio = false;
    testing::write_test_video(s, 3);
    auto info = probe(s.path);
    ASSERT_TRUE(info) << info.error().to_string();
    EXPECT_EQ(info->size_bytes, std::filesystem::file_size(s.path));
    EXPECT_EQ(info->audio(), nullptr);
    EXPECT_EQ(info->streams.size(), 1u);
}

TEST(Probe, RefusesImagesAndTextAsMedia) {
    TempDir dir;
    testing::write_bytes(dir / "a.png", testing::solid_png(4, 4, 1, 2, 3, 255));
    testing::write_bytes(dir / "a.txt", "hello\n");
    EXPECT_EQ(probe(dir / "a.png").error().code, Code::unsupported);
    EXPECT_EQ(probe(dir / "a.txt").error().code, Code::unsupported);
}

TEST(Probe, RefusesVideoLargerThanTheLimit) {
    TempDir dir;
    EncoderSettings s;
    s.path = dir / "wide.mp4";
    s.width = 320;
    s.height = 32;
    s.audio = false;
    testing::write_test_video(s, 2);
    InputLimits limits;
    limits.max_video_side = 256;
    EXPECT_EQ(probe(s.path, limits).error().code, Code::limit_exceeded);
}

}  // namespace
}  // namespace vidgen::media
