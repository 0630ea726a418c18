#include "media/runs.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "media/detail/audio_chunker.hpp"
#include "media/detail/encoded_stream.hpp"
#include "media/detail/encoder_parts.hpp"
#include "media/detail/frames.hpp"

namespace vidgen::media {

EncodedStream::EncodedStream(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EncodedStream::~EncodedStream() = default;
std::size_t EncodedStream::packet_count() const {
    return impl_->packets.size();
}
std::int64_t EncodedStream::first_frame() const {
    return impl_->first_frame;
}
std::int64_t EncodedStream::frame_count() const {
    return impl_->frames;
}

namespace {

using namespace detail;

// A muxer context that is never opened: it only hosts a stream so that encoders are configured exactly
// as for a real mp4 (global headers), making runs muxable later.
Result<OutputFormatPtr> host_context() {
    AVFormatContext* raw = nullptr;
    if (int err = avformat_alloc_output_context2(&raw, nullptr, "mp4", nullptr); err < 0) {
        return fail(Code::internal, "mp4 muxer: " + av_error_text(err));
    }
    return OutputFormatPtr(raw);
}

// Sends `frame` (nullptr flushes) and keeps every packet that comes out.
Result<void> encode_into(AVCodecContext* codec, AVFrame* frame, std::vector<PacketPtr>& out) {
    if (int err = avcodec_send_frame(codec, frame); err < 0) {
        return fail(Code::internal, "encoding: " + av_error_text(err));
    }
    while (true) {
        PacketPtr packet = make_packet();
        const int err = avcodec_receive_packet(codec, packet.get());
        if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return {};
        if (err < 0) return fail(Code::internal, "encoding: " + av_error_text(err));
        out.push_back(std::move(packet));
    }
}

std::unique_ptr<EncodedStream::Impl> describe(const AVCodecContext* codec, std::vector<PacketPtr> packets) {
    auto impl = std::make_unique<EncodedStream::Impl>();
    avcodec_parameters_from_context(impl->params.get(), codec);
    impl->time_base = codec->time_base;
    impl->packets = std::move(packets);
    return impl;
}

}  // namespace

struct RunEncoder::State {
    EncoderSettings settings;
    OutputFormatPtr host;
    OutputStream video;
    std::int64_t first_frame = 0;
    std::int64_t next_pts = 0;
    std::vector<PacketPtr> packets;
    std::shared_ptr<const EncodedStream> run;
};

RunEncoder::RunEncoder(std::unique_ptr<State> state) : state_(std::move(state)) {}
RunEncoder::~RunEncoder() = default;

Result<std::unique_ptr<RunEncoder>> RunEncoder::open(const EncoderSettings& settings,
                                                     std::int64_t first_frame) {
    if (settings.container != Container::mp4) return fail(Code::unsupported, "runs are H.264 (mp4) only");
    quiet_libav_logs();
    auto state = std::make_unique<State>();
    state->settings = settings;
    state->first_frame = state->next_pts = first_frame;
    auto host = host_context();
    if (!host) return std::unexpected(host.error());
    state->host = std::move(*host);
    auto video = open_video_stream(settings, state->host.get());
    if (!video) return std::unexpected(video.error());
    state->video = std::move(*video);
    return std::unique_ptr<RunEncoder>(new RunEncoder(std::move(state)));
}

Result<void> RunEncoder::write_video(VideoFrame frame) {
    AVFrame* av = frame.impl() ? frame.impl()->frame.get() : nullptr;
    if (!av || av->width != state_->settings.width || av->height != state_->settings.height) {
        return fail(Code::internal, "write_video needs a frame from this encoder's FrameConverter");
    }
    av->pts = state_->next_pts++;
    return encode_into(state_->video.codec.get(), av, state_->packets);
}

Result<void> RunEncoder::write_audio(std::span<const float> samples) {
    if (samples.empty()) return {};
    return fail(Code::internal, "a run encoder takes no audio");
}

Result<void> RunEncoder::finish() {
    if (state_->run) return {};
    if (auto flushed = encode_into(state_->video.codec.get(), nullptr, state_->packets); !flushed)
        return flushed;
    auto impl = describe(state_->video.codec.get(), std::move(state_->packets));
    impl->first_frame = state_->first_frame;
    impl->frames = state_->next_pts - state_->first_frame;
    state_->run = std::make_shared<EncodedStream>(std::move(impl));
    return {};
}

std::shared_ptr<const EncodedStream> RunEncoder::run() const {
    return state_->run;
}

Result<std::shared_ptr<const EncodedStream>> encode_audio_track(std::span<const float> samples,
                                                                double seconds,
                                                                const EncoderSettings& settings) {
    quiet_libav_logs();
    auto host = host_context();
    if (!host) return std::unexpected(host.error());
    auto audio = open_audio_stream(settings, host->get());
    if (!audio) return std::unexpected(audio.error());
    AVCodecContext* codec = audio->codec.get();
    AudioChunker chunker(codec, 0);
    chunker.append(samples);
    chunker.pad_to(std::llround(seconds * 48000));
    std::vector<PacketPtr> packets;
    while (true) {
        auto frame = chunker.next(true);
        if (!frame) return std::unexpected(frame.error());
        if (!*frame) break;
        if (auto done = encode_into(codec, *frame, packets); !done) return std::unexpected(done.error());
    }
    if (auto done = encode_into(codec, nullptr, packets); !done) return std::unexpected(done.error());
    return std::make_shared<const EncodedStream>(describe(codec, std::move(packets)));
}

}  // namespace vidgen::media
