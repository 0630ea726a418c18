#include "media/runs.hpp"

#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "media/detail/encoded_stream.hpp"
#include "media/probe.hpp"
#include "media/video_decoder.hpp"
#include "media_fixtures.hpp"

namespace vidgen::media {
namespace {

using testing::TempDir;

EncoderSettings run_settings(const std::filesystem::path& path) {
    EncoderSettings s;
    s.path = path;
    s.width = 320;
    s.height = 240;
    s.preset = "veryfast";  // with B-frames, so decode and presentation order differ inside a run
    return s;
}

// A run of `frames` flat frames of grey `level`, numbered from `first`.
std::shared_ptr<const EncodedStream> grey_run(const EncoderSettings& s, std::int64_t first, int frames,
                                              int level) {
    auto encoder = RunEncoder::open(s, first);
    EXPECT_TRUE(encoder) << encoder.error().to_string();
    FrameConverter converter(s);
    Bitmap bitmap(s.width, s.height);
    for (int y = 0; y < bitmap.height(); ++y)
        std::fill_n(bitmap.row(y), bitmap.width(), testing::grey(level));
    for (int i = 0; i < frames; ++i) {
        auto frame = converter.convert(bitmap);
        EXPECT_TRUE(frame && (*encoder)->write_video(std::move(*frame)));
    }
    EXPECT_TRUE((*encoder)->finish());
    return (*encoder)->run();
}

// Grey level at the frame centre; flat greys survive limited-range YUV and CRF within 6 levels.
int grey_at(const std::filesystem::path& file, double seconds) {
    auto decoder = VideoDecoder::open(file, 32, 24);
    EXPECT_TRUE(decoder) << decoder.error().to_string();
    auto frame = (*decoder)->frame_at(seconds);
    EXPECT_TRUE(frame);
    return int((*frame)->row(12)[16] & 0xFF);
}

TEST(Runs, JoinWithoutReencodingIntoOutputsThatShareARun) {
    TempDir dir;
    auto s = run_settings(dir / "a.mp4");
    auto shared = grey_run(s, 0, 30, 200);
    auto middle_a = grey_run(s, 30, 30, 40);
    auto middle_b = grey_run(s, 30, 30, 120);
    auto audio = encode_audio_track(testing::pull_from(testing::chirp(2.0)), 2.0, s);
    ASSERT_TRUE(audio) << audio.error().to_string();

    std::vector runs_a{shared, middle_a};
    ASSERT_TRUE(mux_runs(s, runs_a, audio->get()));
    s.path = dir / "b.mp4";
    std::vector runs_b{shared, middle_b};
    ASSERT_TRUE(mux_runs(s, runs_b, audio->get()));

    for (const char* name : {"a.mp4", "b.mp4"}) {
        auto info = probe(dir / name);
        ASSERT_TRUE(info) << info.error().to_string();
        EXPECT_NEAR(info->duration, 2.0, 1.0 / 30) << name;
        ASSERT_NE(info->video(), nullptr);
        EXPECT_NEAR(info->video()->duration, 2.0, 1.0 / 30) << name;
        ASSERT_NE(info->audio(), nullptr);
        EXPECT_NEAR(info->audio()->duration, 2.0, 0.03) << name;
    }
    EXPECT_NEAR(grey_at(dir / "a.mp4", 0.5), 200, 6);
    EXPECT_NEAR(grey_at(dir / "a.mp4", 1.5), 40, 6);
    EXPECT_NEAR(grey_at(dir / "b.mp4", 0.5), 200, 6);
    EXPECT_NEAR(grey_at(dir / "b.mp4", 1.5), 120, 6);
    EXPECT_NEAR(grey_at(dir / "b.mp4", 0.99), 200, 6);  // the last frame of the shared run
    EXPECT_NEAR(grey_at(dir / "b.mp4", 1.0), 120, 6);   // the first of the row's own
}

TEST(Runs, ShortRunsBetweenLongOnesKeepDecodeTimesIncreasing) {
    TempDir dir;
    auto s = run_settings(dir / "short.mp4");
    std::vector runs{grey_run(s, 0, 30, 200), grey_run(s, 30, 1, 40), grey_run(s, 31, 2, 120),
                     grey_run(s, 33, 27, 80)};
    auto muxed = mux_runs(s, runs, nullptr);
    ASSERT_TRUE(muxed) << muxed.error().message;
    auto info = probe(s.path);
    ASSERT_TRUE(info);
    EXPECT_NEAR(info->video()->duration, 2.0, 1.0 / 30);
    EXPECT_NEAR(grey_at(s.path, 30.0 / 30), 40, 6);
    EXPECT_NEAR(grey_at(s.path, 32.0 / 30), 120, 6);
    EXPECT_NEAR(grey_at(s.path, 1.5), 80, 6);
}

TEST(Runs, RefusesRunsThatDoNotFollowOn) {
    TempDir dir;
    auto s = run_settings(dir / "gap.mp4");
    std::vector runs{grey_run(s, 0, 10, 10), grey_run(s, 20, 10, 20)};
    auto muxed = mux_runs(s, runs, nullptr);
    ASSERT_FALSE(muxed);
    EXPECT_NE(muxed.error().message.find("expected 10"), std::string::npos) << muxed.error().message;
}

TEST(Runs, RefusesRunsWithDifferentSettings) {
    TempDir dir;
    auto s = run_settings(dir / "mixed.mp4");
    auto other = s;
    other.crf = 35;
    other.width = 160;
    std::vector runs{grey_run(s, 0, 10, 10), grey_run(other, 10, 10, 20)};
    EXPECT_FALSE(mux_runs(s, runs, nullptr));
}

TEST(Runs, EncoderTakesNoAudio) {
    TempDir dir;
    auto encoder = RunEncoder::open(run_settings(dir / "x.mp4"), 0);
    ASSERT_TRUE(encoder);
    float sample[2] = {0, 0};
    EXPECT_FALSE((*encoder)->write_audio(sample));
}

// Sound shorter than the track is padded with silence, longer sound is kept whole (an odd float left
// over is dropped), and a raised stop cancels.
TEST(Runs, AudioTrackLastsTheLongerOfItsSoundAndItsLength) {
    auto s = run_settings("unused.mp4");
    auto seconds_of = [](const EncodedStream& track) {
        const auto& impl = track.impl();
        std::int64_t samples = 0;
        for (std::size_t i = 0; i < impl.packets.size(); ++i) samples += impl.packets.info(i).duration;
        return double(samples) * impl.time_base.num / impl.time_base.den;
    };
    auto padded = encode_audio_track(testing::pull_from(testing::chirp(0.5)), 2.5, s);
    ASSERT_TRUE(padded) << padded.error().to_string();
    EXPECT_NEAR(seconds_of(**padded), 2.5, 0.05);
    auto sound = testing::chirp(2.25);
    sound.push_back(0.5f);
    auto longer = encode_audio_track(testing::pull_from(sound), 1.0, s);
    ASSERT_TRUE(longer) << longer.error().to_string();
    EXPECT_NEAR(seconds_of(**longer), 2.25, 0.05);
    const std::atomic<bool> stop{true};
    auto canceled = encode_audio_track(testing::pull_from(testing::chirp(1.0)), 1.0, s, &stop);
    ASSERT_FALSE(canceled);
    EXPECT_EQ(canceled.error().code, Code::canceled);
}

}  // namespace
}  // namespace vidgen::media
