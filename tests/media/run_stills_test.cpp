#include <gtest/gtest.h>

#include <algorithm>

#include "media/runs.hpp"
#include "run_support.hpp"

namespace vidgen::media {
namespace {

using namespace run_support;
using testing::TempDir;

// A stretch of a run: `count` frames of pattern `seed` (still), or of patterns seed, seed + step, …
// written one by one (moving).
struct Stretch {
    int seed;
    int count;
    bool still;
    int step = 1;
};

// Writes `stretches` into one run, muxes and decodes it strictly: the frame count is exact, ffmpeg has
// nothing to say, every frame is close to its source, and a still's frames are alike. The frame numbers
// of the run's keyframes go into `keyframes` when given.
void check_run(const EncoderSettings& base, const std::vector<Stretch>& stretches,
               std::vector<std::int64_t>* keyframes = nullptr) {
    TempDir dir;
    auto s = base;
    s.path = dir / "run.mp4";
    auto encoder = RunEncoder::open(s, 0);
    ASSERT_TRUE(encoder) << encoder.error().to_string();
    std::vector<int> seeds;
    for (const Stretch& st : stretches) {
        if (st.still) {
            ASSERT_TRUE((*encoder)->write_still(pattern_frame(s, st.seed), st.count));
        } else {
            for (int i = 0; i < st.count; ++i)
                ASSERT_TRUE((*encoder)->write_video(pattern_frame(s, st.seed + i * st.step)));
        }
        for (int i = 0; i < st.count; ++i) seeds.push_back(st.still ? st.seed : st.seed + i * st.step);
    }
    auto finished = (*encoder)->finish();
    ASSERT_TRUE(finished) << finished.error().to_string();
    const auto run = (*encoder)->run();
    EXPECT_EQ(run->frame_count(), std::int64_t(seeds.size()));
    for (const auto& packet : run->impl().packets)
        if (keyframes && (packet->flags & AV_PKT_FLAG_KEY)) keyframes->push_back(packet->pts);
    ASSERT_TRUE(mux_runs(s, std::vector{run}, nullptr));
    auto frames = decode_strictly(s.path);
    ASSERT_TRUE(frames) << frames.error().to_string();
    ASSERT_EQ(frames->size(), seeds.size());
    EXPECT_EQ(ffmpeg_complaints(s.path), "");
    for (std::size_t i = 0; i < seeds.size(); ++i) {
        const Planes source = planes_of(*pattern_frame(s, seeds[i]).impl()->frame);
        EXPECT_LT(mean_difference((*frames)[i], source), 3.0 + s.crf / 8.0) << "frame " << i;
        if (i > 0 && seeds[i] == seeds[i - 1]) {
            EXPECT_LT(mean_difference((*frames)[i], (*frames)[i - 1]), 0.5) << "frame " << i;
        }
    }
}

EncoderSettings small(const char* preset, int crf = 23) {
    auto s = settings_for("unused.mp4", 320, 240, preset);
    s.crf = crf;
    return s;
}

// Stills at the start, between moving stretches (longer than one stretch of skipped frames) and at the
// end of one x264 stream: B-frames and CABAC (veryfast), neither (ultrafast), three references and
// weighted prediction (medium).
TEST(RunStills, StartMiddleAndEndOfARunDecodeCleanly) {
    const std::vector<Stretch> stretches{
        {100, 40, true}, {0, 9, false}, {200, 100, true}, {50, 7, false}, {300, 30, true}};
    for (const char* preset : {"veryfast", "ultrafast", "medium"}) {
        SCOPED_TRACE(preset);
        check_run(small(preset), stretches);
    }
}

TEST(RunStills, StillsOfOneAndTwoFramesAndStillsInARow) {
    check_run(
        small("veryfast"),
        {{0, 5, false}, {100, 1, true}, {10, 5, false}, {200, 2, true}, {300, 20, true}, {400, 3, true}});
}

// A thousand frames wrap frame numbers and picture order counts many times over.
TEST(RunStills, LongStillsWrapTheNumbers) {
    check_run(small("veryfast"), {{0, 6, false}, {100, 1000, true}, {20, 6, false}});
    check_run(small("ultrafast"), {{0, 6, false}, {100, 1000, true}, {20, 6, false}});
}

TEST(RunStills, DecodeCleanlyAtEveryQuality) {
    for (int crf : {0, 18, 40, 51}) {
        SCOPED_TRACE(crf);
        check_run(small("veryfast", crf), {{0, 8, false}, {100, 50, true}, {20, 8, false}});
    }
}

// An x264 keyframe interval (two seconds at 30 fps) passes inside a still and after one.
TEST(RunStills, KeyframesOfX264InsideAndAfterStills) {
    check_run(small("veryfast"), {{0, 50, false}, {100, 40, true}, {10, 70, false}, {200, 40, true}});
}

// Where x264 puts its second keyframe in a run of one picture written frame by frame: its keyframe
// interval, with no scene cut to move it.
std::int64_t second_keyframe(const EncoderSettings& s) {
    auto encoder = RunEncoder::open(s, 0);
    EXPECT_TRUE(encoder);
    for (int i = 0; i < 80; ++i) EXPECT_TRUE((*encoder)->write_video(pattern_frame(s, 0)));
    EXPECT_TRUE((*encoder)->finish());
    int keys = 0;
    for (const auto& packet : (*encoder)->run()->impl().packets)
        if ((packet->flags & AV_PKT_FLAG_KEY) && ++keys == 2) return packet->pts;
    return -1;
}

// x264's keyframe interval ends just before, on or just after a still's first pictures (x264 then makes
// the last frame before them or one of them an IDR, whatever was asked for).
TEST(RunStills, KeyframeIntervalEndsAtAStill) {
    for (const char* preset : {"veryfast", "ultrafast"}) {
        auto s = settings_for("unused.mp4", 176, 144, preset);
        const std::int64_t key = second_keyframe(s);
        ASSERT_GT(key, 10) << preset;
        int near_the_still = 0;
        for (int moving = int(key) - 1; moving <= int(key) + 1; ++moving) {
            SCOPED_TRACE(::testing::Message() << preset << ", " << moving << " moving frames first");
            std::vector<std::int64_t> keys;
            check_run(s, {{0, moving, false, 0}, {100, 12, true}, {1, 4, false}}, &keys);
            near_the_still += int(std::count_if(keys.begin(), keys.end(), [&](std::int64_t k) {
                return k >= moving - 1 && k <= moving + 1;
            }));
        }
        EXPECT_EQ(near_the_still, 3) << preset;
    }
}

// A still costs x264 a few pictures, not one a frame: 300 frames are far smaller than x264's own.
TEST(RunStills, SkippedFramesAreAFewBytesEach) {
    auto s = small("veryfast");
    auto encoder = RunEncoder::open(s, 0);
    ASSERT_TRUE(encoder);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE((*encoder)->write_video(pattern_frame(s, i)));
    ASSERT_TRUE((*encoder)->write_still(pattern_frame(s, 100), 300));
    ASSERT_TRUE((*encoder)->finish());
    const auto& packets = (*encoder)->run()->impl().packets;
    ASSERT_EQ(packets.size(), 305u);
    int small_packets = 0;
    for (const auto& packet : packets) small_packets += packet->size < 40;
    EXPECT_GE(small_packets, 280);
}

TEST(RunStills, RefusesNoFrames) {
    auto s = small("veryfast");
    auto encoder = RunEncoder::open(s, 0);
    ASSERT_TRUE(encoder);
    EXPECT_FALSE((*encoder)->write_still(pattern_frame(s, 1), 0));
}

}  // namespace
}  // namespace vidgen::media
