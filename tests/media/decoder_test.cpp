#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "fixtures.hpp"
#include "media/audio_decoder.hpp"
#include "media/video_decoder.hpp"
#include "media_fixtures.hpp"

namespace vidgen::media {
namespace {

using testing::TempDir;

// The grey level of a decoded frame's centre pixel (the fixtures draw frame i at level 4·i mod 256).
int centre_level(const Bitmap& bitmap) {
    const std::uint32_t p = bitmap.row(bitmap.height() / 2)[bitmap.width() / 2];
    EXPECT_EQ(p >> 24, 255u);
    return int((p >> 8) & 0xFF);
}

class VideoDecoderTest : public ::testing::Test {
  protected:
    void SetUp() override {
        settings_.path = dir_ / "ramp.mp4";
        settings_.width = 320;
        settings_.height = 240;
        settings_.preset = "veryfast";             // with B-frames: decode order differs from display order
        testing::write_test_video(settings_, 90);  // 3 s at 30 fps, keyframes at 0 s and 2 s
    }
    TempDir dir_;
    EncoderSettings settings_;
};

TEST_F(VideoDecoderTest, ReadsFramesInOrderAtTheRequestedSize) {
    auto decoder = VideoDecoder::open(settings_.path, 160, 90);
    ASSERT_TRUE(decoder) << decoder.error().to_string();
    EXPECT_DOUBLE_EQ((*decoder)->fps(), 30.0);
    EXPECT_NEAR((*decoder)->duration(), 3.0, 1.0 / 30);
    for (int i = 0; i < 60; i += 3) {
        auto frame = (*decoder)->frame_at(i / 30.0);
        ASSERT_TRUE(frame) << frame.error().to_string();
        ASSERT_EQ((*frame)->width(), 160);
        ASSERT_EQ((*frame)->height(), 90);
        EXPECT_NEAR(centre_level(**frame), 4 * i, 3) << "frame " << i;
    }
}

TEST_F(VideoDecoderTest, SourceFramesConvertOnOtherThreadsToTheSamePixels) {
    auto decoder = VideoDecoder::open(settings_.path, 160, 90);
    ASSERT_TRUE(decoder);
    std::vector<SourceFrame> held;  // kept unconverted while the decoder moves on, as the pipeline does
    for (int i = 0; i < 30; i += 5) {
        auto frame = (*decoder)->source_frame_at(i / 30.0);
        ASSERT_TRUE(frame) << frame.error().to_string();
        held.push_back(std::move(*frame));
    }
    std::vector<int> levels(held.size());
    std::thread worker([&] {
        for (std::size_t k = 0; k < held.size(); ++k) {
            auto bitmap = held[k].to_bitmap();
            levels[k] = bitmap && bitmap->width() == 160 ? centre_level(*bitmap) : -1;
        }
    });
    worker.join();
    for (std::size_t k = 0; k < held.size(); ++k)
        EXPECT_NEAR(levels[k], 4 * 5 * int(k), 3) << "frame " << 5 * k;
    EXPECT_FALSE(SourceFrame().to_bitmap());
}

constexpr Access kAccesses[] = {Access::random, Access::sequential};

TEST_F(VideoDecoderTest, ShowsTheLastFrameAtOrBeforeTheTime) {
    for (Access access : kAccesses) {
        auto decoder = VideoDecoder::open(settings_.path, 64, 48, {}, access);
        ASSERT_TRUE(decoder);
        EXPECT_NEAR(centre_level(**(*decoder)->frame_at(10.5 / 30)), 40, 3);       // between frames 10 and 11
        EXPECT_NEAR(centre_level(**(*decoder)->frame_at(99.0)), 4 * 89 % 256, 3);  // past the end: the last
    }
}

// Sequential access decodes ahead on a thread of its own; every jump must still land on the right frame.
TEST_F(VideoDecoderTest, SeeksBackwardsFrameAccurately) {
    for (Access access : kAccesses) {
        SCOPED_TRACE(access == Access::random ? "random" : "sequential");
        auto decoder = VideoDecoder::open(settings_.path, 64, 48, {}, access);
        ASSERT_TRUE(decoder);
        EXPECT_NEAR(centre_level(**(*decoder)->frame_at(1.5)), 4 * 45, 3);
        EXPECT_NEAR(centre_level(**(*decoder)->frame_at(0.5)), 4 * 15, 3);
        EXPECT_NEAR(centre_level(**(*decoder)->frame_at(1.0)), 4 * 30, 3);
        EXPECT_NEAR(centre_level(**(*decoder)->frame_at(0.0)), 0, 3);
        EXPECT_NEAR(centre_level(**(*decoder)->frame_at(2.5)), 4 * 75 % 256, 3);
        EXPECT_NEAR(centre_level(**(*decoder)->frame_at(2.1)), 4 * 63 % 256, 3);  // from the keyframe at 2 s
        EXPECT_NEAR(centre_level(**(*decoder)->frame_at(1.9)), 4 * 57, 3);        // from the keyframe at 0 s
    }
}

TEST_F(VideoDecoderTest, SequentialAccessGivesEveryFrameAsRandomAccessDoes) {
    auto random = VideoDecoder::open(settings_.path, 64, 48, {}, Access::random);
    auto sequential = VideoDecoder::open(settings_.path, 64, 48, {}, Access::sequential);
    ASSERT_TRUE(random && sequential);
    for (int i = 0; i < 95; ++i) {  // past the end, too
        auto a = (*random)->source_frame_at(i / 30.0);
        auto b = (*sequential)->source_frame_at(i / 30.0);
        ASSERT_TRUE(a && b) << "frame " << i;
        auto pixels_a = a->to_bitmap();
        auto pixels_b = b->to_bitmap();
        ASSERT_TRUE(pixels_a && pixels_b);
        ASSERT_EQ(centre_level(*pixels_a), centre_level(*pixels_b)) << "frame " << i;
    }
}

// On the way to a frame far ahead, frames nothing refers to are skipped; never the one asked for.
TEST_F(VideoDecoderTest, AFrameFarAheadIsTheRightOneThoughFramesOnTheWayAreSkipped) {
    for (int target = 28; target < 90; target += 5) {
        auto decoder = VideoDecoder::open(settings_.path, 64, 48, {}, Access::random);
        ASSERT_TRUE(decoder);
        EXPECT_NEAR(centre_level(**(*decoder)->frame_at(target / 30.0)), 4 * target % 256, 3) << target;
    }
}

// What the decoding thread meets (here a file cut short) reaches the caller as it would without it.
TEST_F(VideoDecoderTest, ACutFileEndsTheSameWayWithSequentialAccess) {
    std::filesystem::resize_file(settings_.path, std::filesystem::file_size(settings_.path) * 6 / 10);
    std::vector<std::string> seen[2];
    for (Access access : kAccesses) {
        auto decoder = VideoDecoder::open(settings_.path, 64, 48, {}, access);
        ASSERT_TRUE(decoder) << decoder.error().to_string();
        auto& out = seen[access == Access::sequential];
        for (int i = 0; i < 90; ++i) {
            auto frame = (*decoder)->frame_at(i / 30.0);
            out.push_back(frame ? std::to_string(centre_level(**frame)) : frame.error().to_string());
            if (!frame) break;
        }
    }
    EXPECT_EQ(seen[0], seen[1]);
}

TEST_F(VideoDecoderTest, ADecoderStoppedWhileDecodingAheadClosesCleanly) {
    for (int round = 0; round < 5; ++round) {
        auto decoder = VideoDecoder::open(settings_.path, 64, 48, {}, Access::sequential);
        ASSERT_TRUE(decoder);
        EXPECT_NEAR(centre_level(**(*decoder)->frame_at(round / 30.0)), 4 * round, 3);
    }
}

TEST(VideoDecoder, ReadsVp9AndGif) {
    TempDir dir;
    for (auto container : {Container::webm, Container::gif}) {
        EncoderSettings s;
        s.path = dir / (container == Container::gif ? "ramp.gif" : "ramp.webm");
        s.container = container;
        s.width = 128;
        s.height = 96;
        s.fps_num = 10;
        s.audio = false;
        testing::write_test_video(s, 20);
        auto decoder = VideoDecoder::open(s.path, 64, 48);
        ASSERT_TRUE(decoder) << decoder.error().to_string();
        EXPECT_NEAR(centre_level(**(*decoder)->frame_at(0.5)), 20, 4) << s.path;
        EXPECT_NEAR(centre_level(**(*decoder)->frame_at(1.2)), 48, 4) << s.path;
        EXPECT_NEAR(centre_level(**(*decoder)->frame_at(0.1)), 4, 4) << s.path;
    }
}

TEST(VideoDecoder, JumpsFarAheadFrameAccurately) {
    TempDir dir;
    EncoderSettings s;
    s.path = dir / "long.mp4";
    s.width = 64;
    s.height = 48;
    s.audio = false;
    s.preset = "veryfast";
    testing::write_test_video(s, 450);  // 15 s
    for (Access access : kAccesses) {
        auto decoder = VideoDecoder::open(s.path, 32, 24, {}, access);
        ASSERT_TRUE(decoder) << decoder.error().to_string();
        EXPECT_NEAR(centre_level(**(*decoder)->frame_at(0.2)), 24, 3);
        EXPECT_NEAR(centre_level(**(*decoder)->frame_at(13.5)), 4 * 405 % 256, 3);
        EXPECT_NEAR(centre_level(**(*decoder)->frame_at(13.6)), 4 * 408 % 256, 3);
        EXPECT_NEAR(centre_level(**(*decoder)->frame_at(1.0)), 120, 3);
    }
}

TEST_F(VideoDecoderTest, RefusesAFileWithoutVideo) {
    testing::write_bytes(dir_ / "text.mp4", "just text\n");
    auto decoder = VideoDecoder::open(dir_ / "text.mp4", 64, 48);
    ASSERT_FALSE(decoder);
    EXPECT_EQ(decoder.error().code, Code::unsupported);
}

double rms(const std::vector<float>& samples) {
    double sum = 0;
    for (float s : samples) sum += double(s) * s;
    return samples.empty() ? 0 : std::sqrt(sum / double(samples.size()));
}

TEST_F(VideoDecoderTest, DecodesAudioLevelAndLength) {
    auto audio = decode_audio(settings_.path, 0, 10);
    ASSERT_TRUE(audio) << audio.error().to_string();
    EXPECT_NEAR(double(audio->size()) / (kMixRate * kMixChannels), 3.0, 0.03);
    // A 0.5-amplitude tone has an RMS of 0.5/√2.
    EXPECT_NEAR(rms(*audio), 0.5 / std::sqrt(2.0), 0.03);
}

TEST_F(VideoDecoderTest, DecodesAudioFromAnOffsetForAMaximumLength) {
    auto audio = decode_audio(settings_.path, 0.5, 1.0);
    ASSERT_TRUE(audio) << audio.error().to_string();
    EXPECT_EQ(audio->size(), std::size_t(kMixRate * kMixChannels));
    EXPECT_NEAR(rms(*audio), 0.5 / std::sqrt(2.0), 0.03);
    auto tail = decode_audio(settings_.path, 2.5, 10);
    ASSERT_TRUE(tail);
    EXPECT_NEAR(double(tail->size()) / (kMixRate * kMixChannels), 0.5, 0.03);
}

TEST_F(VideoDecoderTest, AudioReadInPiecesIsTheWholeDecode) {
    auto whole = decode_audio(settings_.path, 0.3, 2.5);
    auto reader = AudioReader::open(settings_.path, 0.3, 2.5);
    ASSERT_TRUE(whole && reader);
    std::vector<float> pieces;
    for (std::size_t frames : {1u, 700u, 1024u, 4099u, 1u}) {
        auto got = reader->read(frames, pieces);
        ASSERT_TRUE(got) << got.error().to_string();
        EXPECT_EQ(*got, frames);
    }
    while (true) {
        auto got = reader->read(10000, pieces);
        ASSERT_TRUE(got);
        if (*got < 10000) break;
    }
    EXPECT_EQ(pieces, *whole);
    auto after = reader->read(100, pieces);
    ASSERT_TRUE(after);
    EXPECT_EQ(*after, 0u);
}

TEST_F(VideoDecoderTest, AudioFromAnOffsetLinesUpWithTheWholeDecode) {
    auto whole = decode_audio(settings_.path, 0, 10);
    auto part = decode_audio(settings_.path, 0.5, 1.0);
    ASSERT_TRUE(whole && part);
    const std::size_t offset = std::size_t(0.5 * kMixRate) * kMixChannels;
    double worst = 0;
    // Past the first codec frames (whose overlap differs after a seek) the samples are the same.
    for (std::size_t i = 8192; i < part->size(); ++i) {
        worst = std::max(worst, double(std::abs((*part)[i] - (*whole)[i + offset])));
    }
    EXPECT_LT(worst, 0.01);
    // And the whole decode starts with the first sample written (the AAC priming is trimmed).
    const auto written = testing::chirp(3.0);
    double worst_whole = 0;
    for (std::size_t i = 4096; i < 96000; ++i) {
        worst_whole = std::max(worst_whole, double(std::abs((*whole)[i] - written[i])));
    }
    EXPECT_LT(worst_whole, 0.05);
}

TEST(AudioDecoder, OpusInWebmStartsAtTheFirstWrittenSample) {
    TempDir dir;
    EncoderSettings s;
    s.path = dir / "tone.webm";
    s.container = Container::webm;
    s.width = 64;
    s.height = 64;
    testing::write_test_video(s, 60);
    auto audio = decode_audio(s.path, 0, 10);
    ASSERT_TRUE(audio) << audio.error().to_string();
    EXPECT_NEAR(double(audio->size()) / (kMixRate * kMixChannels), 2.0, 0.01);
    const auto written = testing::chirp(2.0);
    double worst = 0;
    for (std::size_t i = 4096; i < 90000; ++i)
        worst = std::max(worst, double(std::abs((*audio)[i] - written[i])));
    EXPECT_LT(worst, 0.05);
}

// A 16-bit mono PCM WAV file of `seconds` of a 1 kHz sine at amplitude 0.5, at `rate` Hz.
std::string mono_wav(int rate, double seconds) {
    std::string data;
    for (int i = 0; i < int(rate * seconds); ++i) {
        const auto v = std::int16_t(std::lround(16384 * std::sin(2 * M_PI * 1000 * i / rate)));
        data.push_back(char(v & 0xFF));
        data.push_back(char((v >> 8) & 0xFF));
    }
    auto u32 = [](std::uint32_t v) {
        return std::string{char(v), char(v >> 8), char(v >> 16), char(v >> 24)};
    };
    auto u16 = [](std::uint16_t v) { return std::string{char(v), char(v >> 8)}; };
    return "RIFF" + u32(std::uint32_t(36 + data.size())) + "WAVEfmt " + u32(16) + u16(1) + u16(1) +
           u32(std::uint32_t(rate)) + u32(std::uint32_t(rate * 2)) + u16(2) + u16(16) + "data" +
           u32(std::uint32_t(data.size())) + data;
}

TEST(AudioDecoder, ResamplesMonoWavToStereoMixRate) {
    TempDir dir;
    testing::write_bytes(dir / "tone.wav", mono_wav(44100, 1.5));
    auto audio = decode_audio(dir / "tone.wav", 0.25, 1.0);
    ASSERT_TRUE(audio) << audio.error().to_string();
    ASSERT_EQ(audio->size(), std::size_t(kMixRate * kMixChannels));
    EXPECT_NEAR(rms(*audio), 0.5 / std::sqrt(2.0), 0.01);
    for (std::size_t i = 0; i < audio->size(); i += 2) ASSERT_EQ((*audio)[i], (*audio)[i + 1]) << i;
    // 0.25 s into a 1 kHz sine is a whole number of cycles: the first samples rise from 0.
    EXPECT_NEAR((*audio)[0], 0.0, 0.05);
    EXPECT_GT((*audio)[2 * 3], 0.1);
}

TEST(AudioDecoder, GivesNothingForASilentVideo) {
    TempDir dir;
    EncoderSettings s;
    s.path = dir / "mute.webm";
    s.container = Container::webm;
    s.width = 64;
    s.height = 64;
    s.audio = false;
    testing::write_test_video(s, 5);
    auto audio = decode_audio(s.path, 0, 1);
    ASSERT_TRUE(audio) << audio.error().to_string();
    EXPECT_TRUE(audio->empty());
}

}  // namespace
}  // namespace vidgen::media
