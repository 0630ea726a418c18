#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "fixtures.hpp"
#include "media/detail/av.hpp"
#include "media/detail/encoded_stream.hpp"
#include "media/detail/frames.hpp"
#include "media/runs.hpp"

namespace vidgen::media {
namespace {

using namespace detail;
using testing::TempDir;
using Planes = std::vector<std::uint8_t>;  // Y, then U, then V, rows packed

EncoderSettings settings_for(const std::filesystem::path& path, int width, int height, const char* preset) {
    EncoderSettings s;
    s.path = path;
    s.width = width;
    s.height = height;
    s.preset = preset;
    s.audio = false;
    return s;
}

// Smooth colour ramps shifted by `seed`, so every seed gives another picture and x264 keeps it close.
VideoFrame pattern_frame(const EncoderSettings& s, int seed) {
    Bitmap bitmap(s.width, s.height);
    for (int y = 0; y < s.height; ++y) {
        for (int x = 0; x < s.width; ++x) {
            const auto r = std::uint32_t((x / 2 + seed * 9) % 256), g = std::uint32_t((y + seed * 5) % 256);
            const auto b = std::uint32_t(((x + y) / 4 + seed * 23) % 256);
            bitmap.row(y)[x] = 0xFF000000u | (r << 16) | (g << 8) | b;
        }
    }
    auto frame = FrameConverter(s).convert(bitmap);
    EXPECT_TRUE(frame) << frame.error().to_string();
    return std::move(*frame);
}

Planes planes_of(const AVFrame& frame) {
    Planes out;
    for (int p = 0; p < 3; ++p) {
        const int w = p == 0 ? frame.width : (frame.width + 1) / 2;
        const int h = p == 0 ? frame.height : (frame.height + 1) / 2;
        for (int y = 0; y < h; ++y) {
            const std::uint8_t* row = frame.data[p] + std::ptrdiff_t(y) * frame.linesize[p];
            out.insert(out.end(), row, row + w);
        }
    }
    return out;
}

double mean_difference(const Planes& a, const Planes& b) {
    if (a.size() != b.size()) return 255;
    double sum = 0;
    for (std::size_t i = 0; i < a.size(); ++i) sum += std::abs(a[i] - b[i]);
    return sum / double(a.size());
}

Result<void> receive_all(AVCodecContext* codec, std::vector<Planes>& frames) {
    FramePtr frame = make_frame();
    while (true) {
        const int err = avcodec_receive_frame(codec, frame.get());
        if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return {};
        if (err < 0) return fail(Code::internal, "decoding: " + av_error_text(err));
        if (frame->decode_error_flags != 0) return fail(Code::internal, "a frame decoded with errors");
        frames.push_back(planes_of(*frame));
    }
}

Result<CodecContextPtr> open_strict_decoder(const AVStream& stream) {
    const AVCodec* h264 = avcodec_find_decoder(stream.codecpar->codec_id);
    CodecContextPtr codec(avcodec_alloc_context3(h264));
    avcodec_parameters_to_context(codec.get(), stream.codecpar);
    codec->err_recognition = AV_EF_EXPLODE | AV_EF_BITSTREAM | AV_EF_CRCCHECK;
    codec->thread_count = 1;
    if (int err = avcodec_open2(codec.get(), h264, nullptr); err < 0)
        return fail(Code::internal, "decoder: " + av_error_text(err));
    return codec;
}

// Every frame of the file's video in presentation order; any error the strict decoder reports fails.
Result<std::vector<Planes>> decode_strictly(const std::filesystem::path& path) {
    AVFormatContext* raw = nullptr;
    if (avformat_open_input(&raw, path.c_str(), nullptr, nullptr) < 0) return fail(Code::io, "open");
    InputFormatPtr input(raw);
    if (avformat_find_stream_info(input.get(), nullptr) < 0) return fail(Code::io, "stream info");
    auto codec = open_strict_decoder(*input->streams[0]);
    if (!codec) return std::unexpected(codec.error());
    std::vector<Planes> frames;
    PacketPtr packet = make_packet();
    while (av_read_frame(input.get(), packet.get()) >= 0) {
        const int err = avcodec_send_packet(codec->get(), packet.get());
        av_packet_unref(packet.get());
        if (err < 0) return fail(Code::internal, "decoding: " + av_error_text(err));
        if (auto got = receive_all(codec->get(), frames); !got) return std::unexpected(got.error());
    }
    avcodec_send_packet(codec->get(), nullptr);
    if (auto got = receive_all(codec->get(), frames); !got) return std::unexpected(got.error());
    return frames;
}

// What ffmpeg itself says about the file, warnings included, with -xerror (empty when it decodes cleanly).
std::string ffmpeg_complaints(const std::filesystem::path& path) {
    const std::string command =
        "ffmpeg -nostdin -v warning -xerror -i '" + path.string() + "' -f null - 2>&1";
    std::string out;
    if (FILE* pipe = popen(command.c_str(), "r")) {
        char buf[256];
        while (std::fgets(buf, sizeof buf, pipe)) out += buf;
        if (pclose(pipe) != 0) out += "(ffmpeg failed)";
    }
    return out;
}

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
    const auto& packets = run->impl().packets;
    for (std::size_t i = 0; i < packets.size(); ++i)
        if (keyframes && (packets.info(i).flags & AV_PKT_FLAG_KEY)) keyframes->push_back(packets.info(i).pts);
    ASSERT_TRUE(mux_runs(s, std::vector{run}, nullptr));
    auto frames = decode_strictly(s.path);
    ASSERT_TRUE(frames) << frames.error().to_string();
    ASSERT_EQ(frames->size(), seeds.size());
    EXPECT_EQ(ffmpeg_complaints(s.path), "");
    // x264's own error: a few levels at CRF 23, many more at the bottom of its scale.
    const double tolerance = 3.0 + s.crf / (s.crf > 40 ? 4.0 : 8.0);
    for (std::size_t i = 0; i < seeds.size(); ++i) {
        const Planes source = planes_of(*pattern_frame(s, seeds[i]).impl()->frame);
        EXPECT_LT(mean_difference((*frames)[i], source), tolerance) << "frame " << i;
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

// Skipped frames over whole pictures of every shape: macroblock rows and columns cut by the picture's
// edge (200 × 120 has 13 × 8 macroblocks, 1080 lines 68 rows), CABAC with B-frames and CAVLC without.
TEST(RunStills, DecodeCleanlyAtEverySize) {
    struct Size {
        int width, height, still;
    };
    for (const char* preset : {"veryfast", "ultrafast"}) {
        for (Size size : {Size{200, 120, 20}, Size{1920, 1080, 6}}) {
            SCOPED_TRACE(::testing::Message() << preset << " " << size.width << "x" << size.height);
            check_run(settings_for("unused.mp4", size.width, size.height, preset),
                      {{0, 8, false}, {100, size.still, true}, {50, 8, false}});
        }
    }
}

// The PPS's pic_init_qp follows the CRF, and with it the CABAC state of mb_skip_flag: below about QP 22 a
// skip starts as the less probable symbol.
TEST(RunStills, DecodeCleanlyAtEveryQuality) {
    for (int crf : {0, 10, 18, 28, 40, 51}) {
        SCOPED_TRACE(crf);
        auto s = settings_for("unused.mp4", 200, 120, "veryfast");
        s.crf = crf;
        check_run(s, {{0, 8, false}, {100, 50, true}, {20, 8, false}});
        s.preset = "ultrafast";
        check_run(s, {{0, 8, false}, {100, 10, true}, {20, 8, false}});
    }
}

// Runs with stills made on several threads at once are each whole and alike.
TEST(RunStills, RunsOnManyThreadsAtOnce) {
    const auto s = small("veryfast");
    std::vector<std::shared_ptr<const EncodedStream>> made(4);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < made.size(); ++t) {
        threads.emplace_back([&, t] {
            auto encoder = RunEncoder::open(s, 0);
            if (!encoder) return;
            for (int i = 0; i < 6; ++i)
                if (!(*encoder)->write_video(pattern_frame(s, i))) return;
            if ((*encoder)->write_still(pattern_frame(s, 100), 50) && (*encoder)->finish())
                made[t] = (*encoder)->run();
        });
    }
    for (auto& thread : threads) thread.join();
    for (std::size_t t = 0; t < made.size(); ++t) {
        ASSERT_NE(made[t], nullptr);
        ASSERT_EQ(made[t]->packet_count(), 56u);
        const auto& mine = made[t]->impl().packets;
        const auto& first = made[0]->impl().packets;
        for (std::size_t k = 0; k < mine.size(); ++k) {
            auto a = mine.read(k);
            auto b = first.read(k);
            ASSERT_TRUE(a && b);
            EXPECT_EQ(std::vector((*a)->data, (*a)->data + (*a)->size),
                      std::vector((*b)->data, (*b)->data + (*b)->size));
        }
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
    const auto& packets = (*encoder)->run()->impl().packets;
    for (std::size_t i = 0; i < packets.size(); ++i)
        if ((packets.info(i).flags & AV_PKT_FLAG_KEY) && ++keys == 2) return packets.info(i).pts;
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
    for (std::size_t i = 0; i < packets.size(); ++i) small_packets += packets.info(i).size < 40;
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
