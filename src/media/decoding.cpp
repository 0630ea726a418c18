#include "media/detail/decoding.hpp"

#include "media/detail/input.hpp"

#include <cmath>

#include <fmt/format.h>

namespace vidgen::media::detail {

Result<CodecContextPtr> open_decoder(const AVFormatContext* format, int index, int threads) {
    const AVCodecParameters* par = format->streams[index]->codecpar;
    const AVCodec* codec = avcodec_find_decoder(par->codec_id);
    if (!codec)
        return fail(Code::unsupported,
                    fmt::format("no decoder for codec {}", avcodec_get_name(par->codec_id)));
    CodecContextPtr ctx(avcodec_alloc_context3(codec));
    if (!ctx) return fail(Code::internal, "out of memory allocating a decoder");
    if (int err = avcodec_parameters_to_context(ctx.get(), par); err < 0) {
        return fail(Code::internal, "decoder parameters: " + av_error_text(err));
    }
    ctx->thread_count = threads;
    ctx->pkt_timebase = format->streams[index]->time_base;
    if (int err = avcodec_open2(ctx.get(), codec, nullptr); err < 0) {
        return fail(Code::unsupported,
                    fmt::format("opening decoder {}: {}", codec->name, av_error_text(err)));
    }
    return ctx;
}

FrameReader::FrameReader(AVFormatContext* format, AVCodecContext* codec, int stream_index)
    : format_(format), codec_(codec), stream_index_(stream_index) {}

Result<bool> FrameReader::next(AVFrame* out) {
    while (true) {
        const int got = avcodec_receive_frame(codec_, out);
        if (got == 0) return true;
        if (got == AVERROR_EOF) return false;
        if (got != AVERROR(EAGAIN)) return fail(Code::io, "decoding: " + av_error_text(got));
        if (flushing_) return false;
        const int read = av_read_frame(format_, packet_.get());
        if (read == AVERROR_EOF) {
            flushing_ = true;
            avcodec_send_packet(codec_, nullptr);
            continue;
        }
        if (read < 0) return fail(Code::io, "reading: " + av_error_text(read));
        int sent = 0;
        if (packet_->stream_index == stream_index_) sent = avcodec_send_packet(codec_, packet_.get());
        av_packet_unref(packet_.get());
        if (sent < 0 && sent != AVERROR_INVALIDDATA)
            return fail(Code::io, "decoding: " + av_error_text(sent));
    }
}

Result<void> FrameReader::seek(double seconds) {
    const std::int64_t target = source_timestamp(format_, stream_index_, seconds);
    if (int err = av_seek_frame(format_, stream_index_, target, AVSEEK_FLAG_BACKWARD); err < 0) {
        return fail(Code::io, "seeking: " + av_error_text(err));
    }
    avcodec_flush_buffers(codec_);
    flushing_ = false;
    return {};
}

}  // namespace vidgen::media::detail
