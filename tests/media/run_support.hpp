// Helpers for the tests of encoded runs: test pictures, settings, and strict decoding of what was written.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "media/detail/av.hpp"
#include "media/detail/encoded_stream.hpp"
#include "media/detail/frames.hpp"
#include "media/runs.hpp"

namespace vidgen::media::run_support {

using namespace detail;
using Planes = std::vector<std::uint8_t>;  // Y, then U, then V, rows packed

inline EncoderSettings settings_for(const std::filesystem::path& path, int width, int height,
                                    const char* preset) {
    EncoderSettings s;
    s.path = path;
    s.width = width;
    s.height = height;
    s.preset = preset;
    s.audio = false;
    return s;
}

// Smooth colour ramps shifted by `seed`, so every seed gives another picture and x264 keeps it close.
inline VideoFrame pattern_frame(const EncoderSettings& s, int seed) {
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

inline Planes planes_of(const AVFrame& frame) {
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

inline int max_difference(const Planes& a, const Planes& b) {
    int worst = a.size() == b.size() ? 0 : 255;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
        worst = std::max(worst, std::abs(a[i] - b[i]));
    return worst;
}

inline double mean_difference(const Planes& a, const Planes& b) {
    if (a.size() != b.size()) return 255;
    double sum = 0;
    for (std::size_t i = 0; i < a.size(); ++i) sum += std::abs(a[i] - b[i]);
    return sum / double(a.size());
}

inline Result<void> receive_all(AVCodecContext* codec, std::vector<Planes>& frames) {
    FramePtr frame = make_frame();
    while (true) {
        const int err = avcodec_receive_frame(codec, frame.get());
        if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return {};
        if (err < 0) return fail(Code::internal, "decoding: " + av_error_text(err));
        if (frame->decode_error_flags != 0) return fail(Code::internal, "a frame decoded with errors");
        frames.push_back(planes_of(*frame));
    }
}

inline Result<CodecContextPtr> open_strict_decoder(const AVStream& stream) {
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
inline Result<std::vector<Planes>> decode_strictly(const std::filesystem::path& path) {
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
inline std::string ffmpeg_complaints(const std::filesystem::path& path) {
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

inline std::shared_ptr<const EncodedStream> moving_run(const EncoderSettings& s, std::int64_t first,
                                                       int frames, int seed) {
    auto encoder = RunEncoder::open(s, first);
    EXPECT_TRUE(encoder) << encoder.error().to_string();
    for (int i = 0; i < frames; ++i) EXPECT_TRUE((*encoder)->write_video(pattern_frame(s, seed + i)));
    EXPECT_TRUE((*encoder)->finish());
    return (*encoder)->run();
}

}  // namespace vidgen::media::run_support
