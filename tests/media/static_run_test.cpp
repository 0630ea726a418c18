#include "media/static_run.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "run_support.hpp"

namespace vidgen::media {
namespace {

using namespace detail;
using namespace run_support;
using testing::TempDir;

struct Case {
    int width, height;
    const char* preset;
    int static_frames;
    int crf = 23;
};

// A moving run, a static run and another moving run, joined and decoded: every frame is decodable
// without a single complaint, each frame is its source, and the static frames equal their keyframe.
void check_static_run_between_moving_runs(const Case& c) {
    SCOPED_TRACE(::testing::Message() << c.width << "x" << c.height << " " << c.preset << " crf " << c.crf);
    TempDir dir;
    auto s = settings_for(dir / "joined.mp4", c.width, c.height, c.preset);
    s.crf = c.crf;
    constexpr int kMoving = 8;
    auto still = encode_static_run(s, kMoving, c.static_frames, pattern_frame(s, 100));
    ASSERT_TRUE(still) << still.error().to_string();
    std::vector runs{moving_run(s, 0, kMoving, 0), *still,
                     moving_run(s, kMoving + c.static_frames, kMoving, 50)};
    auto muxed = mux_runs(s, runs, nullptr);
    ASSERT_TRUE(muxed) << muxed.error().to_string();

    auto frames = decode_strictly(s.path);
    ASSERT_TRUE(frames) << frames.error().to_string();
    ASSERT_EQ(frames->size(), std::size_t(2 * kMoving + c.static_frames));
    EXPECT_EQ(ffmpeg_complaints(s.path), "");
    const auto source_of = [&](int i) {
        if (i < kMoving) return pattern_frame(s, i);
        if (i < kMoving + c.static_frames) return pattern_frame(s, 100);
        return pattern_frame(s, 50 + i - kMoving - c.static_frames);
    };
    const Planes& keyframe = (*frames)[kMoving];
    for (int i = 0; i < int(frames->size()); ++i) {
        const Planes source = planes_of(*source_of(i).impl()->frame);
        EXPECT_LT(mean_difference((*frames)[std::size_t(i)], source), 3.0 + c.crf / 8.0) << "frame " << i;
        if (i > kMoving && i < kMoving + c.static_frames) {
            ASSERT_LE(max_difference((*frames)[std::size_t(i)], keyframe), 1) << "frame " << i;
        }
    }
}

TEST(StaticRun, DecodesCleanlyBetweenMovingRunsWithCabacAndBFrames) {
    for (Case c : {Case{320, 240, "veryfast", 30}, Case{1280, 720, "veryfast", 12},
                   Case{200, 120, "veryfast", 20}, Case{1920, 1080, "veryfast", 6}})
        check_static_run_between_moving_runs(c);
}

TEST(StaticRun, DecodesCleanlyBetweenMovingRunsWithCavlc) {
    for (Case c : {Case{320, 240, "ultrafast", 30}, Case{1280, 720, "ultrafast", 12},
                   Case{200, 120, "ultrafast", 20}, Case{1920, 1080, "ultrafast", 6}})
        check_static_run_between_moving_runs(c);
}

TEST(StaticRun, ThousandFramesWrapFrameNumberAndPictureOrderCount) {
    check_static_run_between_moving_runs({320, 240, "veryfast", 1000});
    check_static_run_between_moving_runs({176, 144, "ultrafast", 1000});
}

// A file may begin with a static run (its decode times start before zero) and end with one.
TEST(StaticRun, StartsAndEndsAFile) {
    TempDir dir;
    auto s = settings_for(dir / "ends.mp4", 320, 240, "veryfast");
    auto head = encode_static_run(s, 0, 20, pattern_frame(s, 1));
    auto tail = encode_static_run(s, 28, 15, pattern_frame(s, 2));
    ASSERT_TRUE(head && tail);
    std::vector runs{*head, moving_run(s, 20, 8, 10), *tail};
    ASSERT_TRUE(mux_runs(s, runs, nullptr));
    auto frames = decode_strictly(s.path);
    ASSERT_TRUE(frames) << frames.error().to_string();
    ASSERT_EQ(frames->size(), 43u);
    EXPECT_EQ(ffmpeg_complaints(s.path), "");
    for (int i = 0; i < 43; ++i) {
        const int seed = i < 20 ? 1 : i < 28 ? 10 + i - 20 : 2;
        const Planes source = planes_of(*pattern_frame(s, seed).impl()->frame);
        EXPECT_LT(mean_difference((*frames)[std::size_t(i)], source), 3.0) << "frame " << i;
    }
    EXPECT_LE(max_difference(frames->front(), (*frames)[19]), 1);
    EXPECT_LE(max_difference((*frames)[28], frames->back()), 1);
}

// Static runs made on several threads at once are each whole and alike.
TEST(StaticRun, RunsOnManyThreadsAtOnce) {
    const auto s = settings_for("unused.mp4", 320, 240, "veryfast");
    std::vector<std::shared_ptr<const EncodedStream>> made(4);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < made.size(); ++t) {
        threads.emplace_back([&, t] {
            auto run = encode_static_run(s, std::int64_t(t) * 100, 50, pattern_frame(s, 4));
            if (run) made[t] = *run;
        });
    }
    for (auto& thread : threads) thread.join();
    for (std::size_t t = 0; t < made.size(); ++t) {
        ASSERT_NE(made[t], nullptr);
        ASSERT_EQ(made[t]->packet_count(), 50u);
        const AVPacket& last = *made[t]->impl().packets.back();
        const AVPacket& first_last = *made[0]->impl().packets.back();
        EXPECT_EQ(std::vector(last.data, last.data + last.size),
                  std::vector(first_last.data, first_last.data + first_last.size));
    }
}

// The PPS's pic_init_qp follows the CRF, and with it the CABAC state of mb_skip_flag: below about QP 22 a
// skip starts as the less probable symbol.
TEST(StaticRun, DecodesCleanlyAtEveryQuality) {
    for (int crf : {0, 10, 18, 28, 40, 51}) {
        check_static_run_between_moving_runs({200, 120, "veryfast", 40, crf});
        check_static_run_between_moving_runs({200, 120, "ultrafast", 10, crf});
    }
}

TEST(StaticRun, OneFrameIsJustTheKeyframe) {
    TempDir dir;
    auto s = settings_for(dir / "one.mp4", 320, 240, "veryfast");
    auto run = encode_static_run(s, 5, 1, pattern_frame(s, 3));
    ASSERT_TRUE(run) << run.error().to_string();
    EXPECT_EQ((*run)->packet_count(), 1u);
    EXPECT_EQ((*run)->impl().first_frame, 5);
    EXPECT_EQ((*run)->impl().frames, 1);
}

// The run starts as early (in decode time) as an ordinary run does, at every setting, lossless included
// (where x264 quietly drops B-frames), and keeps that delay to its end.
TEST(StaticRun, TimestampsFollowOnAndOnlyTheFirstFrameIsKey) {
    TempDir dir;
    for (auto [preset, crf] : {std::pair{"veryfast", 23}, {"veryfast", 0}, {"ultrafast", 23}}) {
        auto s = settings_for(dir / "t.mp4", 320, 240, preset);
        s.crf = crf;
        const auto ordinary_run = moving_run(s, 40, 10, 0);
        const AVPacket& ordinary = *ordinary_run->impl().packets.front();
        auto run = encode_static_run(s, 40, 10, pattern_frame(s, 3));
        ASSERT_TRUE(run) << run.error().to_string();
        const auto& packets = (*run)->impl().packets;
        ASSERT_EQ(packets.size(), 10u);
        for (std::size_t k = 0; k < packets.size(); ++k) {
            EXPECT_EQ(packets[k]->pts, 40 + std::int64_t(k));
            EXPECT_EQ(packets[k]->dts, ordinary.dts + std::int64_t(k)) << preset << " crf " << crf;
            EXPECT_EQ(bool(packets[k]->flags & AV_PKT_FLAG_KEY), k == 0);
        }
    }
}

TEST(StaticRun, RefusesNoFramesAndOtherCodecs) {
    TempDir dir;
    auto s = settings_for(dir / "x.mp4", 320, 240, "veryfast");
    EXPECT_FALSE(encode_static_run(s, 0, 0, pattern_frame(s, 1)));
    s.container = Container::webm;
    EXPECT_FALSE(encode_static_run(s, 0, 5, pattern_frame(s, 1)));
}

// 300 identical 1080p frames: after the keyframe every frame is a few dozen bytes written by hand, not
// x264's output (bench/static_run measures the CPU this saves).
TEST(StaticRun, SkippedFramesAreAFewBytesEach) {
    TempDir dir;
    auto s = settings_for(dir / "big.mp4", 1920, 1080, "veryfast");
    auto run = encode_static_run(s, 0, 300, pattern_frame(s, 7));
    ASSERT_TRUE(run) << run.error().to_string();
    const auto& packets = (*run)->impl().packets;
    ASSERT_EQ(packets.size(), 300u);
    for (std::size_t k = 1; k < packets.size(); ++k) EXPECT_LT(packets[k]->size, 200) << "frame " << k;
}

}  // namespace
}  // namespace vidgen::media
