#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

extern "C" {
#include <libavutil/opt.h>
}

#include "media/detail/encoder_parts.hpp"
#include "media/detail/frames.hpp"

namespace vidgen::media::detail {
namespace {

struct Dictionary {
    AVDictionary* dict = nullptr;
    ~Dictionary() { av_dict_free(&dict); }
    void set(const char* key, const std::string& value) { av_dict_set(&dict, key, value.c_str(), 0); }
};

const char* video_encoder_name(Container container) {
    switch (container) {
        case Container::mp4:
            return "libx264";
        case Container::webm:
            return "libvpx-vp9";
        case Container::gif:
            return "gif";
    }
    return "";
}

// libvpx speed (cpu-used) for an x264 preset name: faster presets trade quality for speed.
int vp9_speed(std::string_view preset) {
    if (preset == "ultrafast" || preset == "superfast") return 8;
    if (preset == "veryfast") return 7;
    if (preset == "faster" || preset == "fast") return 6;
    return 5;
}

// From 1080 lines on, each frame x264 keeps (input with its lowres copies, or reconstruction with its
// half-pel planes) costs 6–10 MB, so the number it keeps is most of a render's memory.
constexpr int kLargeFrameLines = 1080;

// Keeps fewer frames in x264: one frame thread per core instead of x264's 1.5 per core (the frame
// pipeline's own threads keep the cores busy). S2 (1080p), quiet machine, bench/render 2 s2: peak RSS 430 →
// 405 MiB at the same speed (8.43 → 8.51 s). Running the lookahead in the encoding call (sync-lookahead=0)
// would save 30 MiB more but made S2 19 % slower (10.0 s), so x264 keeps its lookahead thread, with three
// frames of buffer instead of bframes + 1 (4 at veryfast): the same output bytes. S2 on the quiet machine,
// two alternating runs each: default 7.92-7.97 s, 352 MiB; 3: 7.93-8.25 s, 345 MiB; 2: 8.68-8.84 s,
// 338 MiB; 1: 9.15-9.44 s, 332 MiB (docs/BENCHMARKS.md, Memory).
void limit_x264_memory(const EncoderSettings& s, AVCodecContext* ctx, std::vector<std::string>& params) {
    if (s.threads == 0) ctx->thread_count = int(std::max(1u, std::thread::hardware_concurrency()));
    params.push_back("sync-lookahead=3");
}

// Whether x264 would pick its AVX-512 code: it wants F, CD, BW, DQ and VL, and the OS saving their state
// (which __builtin_cpu_supports checks too). Every such CPU also has AVX2, FMA3, BMI1, BMI2 and LZCNT.
bool x264_would_use_avx512() {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
           __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512vl");
}

// x264's AVX-512 macroblock-tree code (core 164; mbtree with B-frames) works on 8 macroblocks at a time
// and, where a row of macroblocks is not a whole number of those, lets memory it never wrote into the
// output: the same frames encoded twice in one process gave different bytes, depending on what the heap
// held before (which thread's malloc arena x264's frames came from). At 320×180, up to one render in 13
// when the frame pipeline's threads take turns calling the encoder; none in over 3000 with x264 stopped at
// AVX2, with MALLOC_PERTURB_ set, or without mbtree. Rows of 16, 24, 32, 40, 80 and 120 macroblocks
// (256 to 1920 px wide, 720p and 1080p among them) never differed; rows of 18, 20, 21, 22 and 25 did.
// Renders must be byte-identical (outputs are content-addressed blobs: tests/render/determinism_test.cpp),
// so at such widths x264 stops at AVX2 (about 10 % more encoding CPU); elsewhere it keeps AVX-512.
void keep_x264_deterministic(int width, std::vector<std::string>& params) {
    static const bool avx512 = x264_would_use_avx512();
    const int macroblocks = (width + 15) / 16;
    if (avx512 && macroblocks % 8 != 0) params.push_back("asm=AVX2");
}

void configure_x264(const EncoderSettings& s, AVCodecContext* ctx, Dictionary& options) {
    options.set("preset", s.preset ? s.preset : "veryfast");
    std::vector<std::string> params;
    if (s.height >= kLargeFrameLines) limit_x264_memory(s, ctx, params);
    keep_x264_deterministic(s.width, params);
    if (!params.empty()) options.set("x264-params", fmt::format("{}", fmt::join(params, ":")));
}

void configure_video(const EncoderSettings& s, AVCodecContext* ctx, Dictionary& options) {
    ctx->width = s.width;
    ctx->height = s.height;
    ctx->time_base = AVRational{s.fps_den, s.fps_num};
    ctx->framerate = AVRational{s.fps_num, s.fps_den};
    ctx->sample_aspect_ratio = AVRational{1, 1};
    ctx->thread_count = s.threads;
    if (s.container == Container::gif) {
        ctx->pix_fmt = AV_PIX_FMT_PAL8;
        return;
    }
    ctx->pix_fmt = AV_PIX_FMT_YUV420P;
    ctx->gop_size = std::max(1, int(std::lround(2.0 * s.fps_num / s.fps_den)));
    const auto tags = colour_tags(s.height);
    ctx->color_primaries = tags.primaries;
    ctx->color_trc = tags.transfer;
    ctx->colorspace = tags.space;
    ctx->color_range = tags.range;
    options.set("crf", std::to_string(s.crf));
    if (s.container == Container::mp4) {
        configure_x264(s, ctx, options);
    } else {
        ctx->bit_rate = 0;
        options.set("deadline", "realtime");
        options.set("cpu-used", std::to_string(vp9_speed(s.preset ? s.preset : "")));
        options.set("row-mt", "1");
    }
}

Result<OutputStream> open_stream(AVFormatContext* format, const AVCodec* codec, CodecContextPtr ctx,
                                 Dictionary& options) {
    if (format->oformat->flags & AVFMT_GLOBALHEADER) ctx->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    if (int err = avcodec_open2(ctx.get(), codec, &options.dict); err < 0) {
        return fail(Code::internal, fmt::format("opening encoder {}: {}", codec->name, av_error_text(err)));
    }
    AVStream* stream = avformat_new_stream(format, nullptr);
    if (!stream) return fail(Code::internal, "cannot add an output stream");
    stream->time_base = ctx->time_base;
    stream->avg_frame_rate = ctx->framerate;
    if (int err = avcodec_parameters_from_context(stream->codecpar, ctx.get()); err < 0) {
        return fail(Code::internal, "stream parameters: " + av_error_text(err));
    }
    return OutputStream{std::move(ctx), stream};
}

}  // namespace

Result<OutputStream> open_video_stream(const EncoderSettings& settings, AVFormatContext* format) {
    const char* name = video_encoder_name(settings.container);
    const AVCodec* codec = avcodec_find_encoder_by_name(name);
    if (!codec) return fail(Code::unsupported, fmt::format("encoder {} is not available", name));
    CodecContextPtr ctx(avcodec_alloc_context3(codec));
    if (!ctx) return fail(Code::internal, "out of memory allocating an encoder");
    Dictionary options;
    configure_video(settings, ctx.get(), options);
    return open_stream(format, codec, std::move(ctx), options);
}

Result<OutputStream> open_audio_stream(const EncoderSettings& settings, AVFormatContext* format) {
    const bool webm = settings.container == Container::webm;
    const AVCodec* codec = avcodec_find_encoder_by_name(webm ? "libopus" : "aac");
    if (!codec) return fail(Code::unsupported, "the audio encoder is not available");
    CodecContextPtr ctx(avcodec_alloc_context3(codec));
    if (!ctx) return fail(Code::internal, "out of memory allocating an encoder");
    ctx->sample_rate = 48000;
    ctx->time_base = AVRational{1, 48000};
    ctx->bit_rate = 128000;
    ctx->sample_fmt = webm ? AV_SAMPLE_FMT_FLT : AV_SAMPLE_FMT_FLTP;
    av_channel_layout_default(&ctx->ch_layout, 2);
    Dictionary options;
    return open_stream(format, codec, std::move(ctx), options);
}

}  // namespace vidgen::media::detail
