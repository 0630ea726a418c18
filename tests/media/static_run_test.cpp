#include "media/static_run.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "fixtures.hpp"
#include "media/detail/av.hpp"
#include "media/detail/encoded_stream.hpp"
#include "media/detail/frames.hpp"

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

int max_difference(const Planes& a, const Planes& b) {
    int worst = a.size() == b.size() ? 0 : 255;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
        worst = std::max(worst, std::abs(a[i] - b[i]));
    return worst;
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

// What ffmpeg itself says about the file with -xerror (empty when it decodes cleanly).
std::string ffmpeg_complaints(const std::filesystem::path& path) {
    const std::string command = "ffmpeg -nostdin -v error -xerror -i '" + path.string() + "' -f null - 2>&1";
    std::string out;
    if (FILE* pipe = popen(command.c_str(), "r")) {
        char buf[256];
        while (std::fgets(buf, sizeof buf, pipe)) out += buf;
        if (pclose(pipe) != 0) out += "(ffmpeg failed)";
    }
    return out;
}

std::shared_ptr<const EncodedStream> moving_run(const EncoderSettings& s, std::int64_t first, int frames,
                                                int seed) {
    auto encoder = RunEncoder::open(s, first);
    EXPECT_TRUE(encoder) << encoder.error().to_string();
    for (int i = 0; i < frames; ++i) EXPECT_TRUE((*encoder)->write_video(pattern_frame(s, seed + i)));
    EXPECT_TRUE((*encoder)->finish());
    return (*encoder)->run();
}

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
