#include "media/encoder.hpp"

#include <cmath>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "media/detail/audio_chunker.hpp"
#include "media/detail/encoder_parts.hpp"
#include "media/detail/frames.hpp"

namespace vidgen::media {
namespace {

using namespace detail;

const char* muxer_name(Container container) {
    switch (container) {
        case Container::mp4:
            return "mp4";
        case Container::webm:
            return "webm";
        case Container::gif:
            return "gif";
    }
    return "";
}

class MuxEncoder final : public Encoder {
  public:
    Result<void> start(const EncoderSettings& settings);
    Result<void> write_video(VideoFrame frame) override;
    Result<void> write_audio(std::span<const float> samples) override;
    Result<void> finish() override;

  private:
    Result<void> open_streams();
    Result<void> write_header(const std::string& url);
    Result<void> encode(OutputStream& out, AVFrame* frame);
    Result<void> drain_palette();
    Result<void> flush_audio(bool final);

    EncoderSettings settings_;
    OutputFormatPtr format_;
    OutputStream video_;
    std::optional<OutputStream> audio_;
    std::optional<PaletteGraph> palette_;
    std::optional<AudioChunker> chunker_;
    PacketPtr packet_ = make_packet();
    FramePtr scratch_ = make_frame();
    std::int64_t frames_written_ = 0;
    bool finished_ = false;
};

Result<void> MuxEncoder::start(const EncoderSettings& s) {
    settings_ = s;
    quiet_libav_logs();
    if (s.width < 16 || s.height < 16 || s.width % 2 || s.height % 2 || s.fps_num <= 0 || s.fps_den <= 0) {
        return fail(Code::invalid_argument,
                    fmt::format("bad output size {}x{} or frame rate", s.width, s.height));
    }
    const std::string url = "file:" + s.path.string();
    AVFormatContext* raw = nullptr;
    if (int err = avformat_alloc_output_context2(&raw, nullptr, muxer_name(s.container), url.c_str());
        err < 0) {
        return fail(Code::internal, "output format: " + av_error_text(err));
    }
    format_.reset(raw);
    // Matroska otherwise writes random segment and track UIDs: every webm render of one spec would be a
    // different blob (outputs are content-addressed). mp4 and GIF write nothing random.
    if (s.container == Container::webm) format_->flags |= AVFMT_FLAG_BITEXACT;
    if (auto opened = open_streams(); !opened) return opened;
    return write_header(url);
}

Result<void> MuxEncoder::open_streams() {
    auto video = open_video_stream(settings_, format_.get());
    if (!video) return std::unexpected(video.error());
    video_ = std::move(*video);
    if (settings_.container == Container::gif) {
        auto palette = PaletteGraph::open(settings_);
        if (!palette) return std::unexpected(palette.error());
        palette_ = std::move(*palette);
    } else if (settings_.audio) {
        auto audio = open_audio_stream(settings_, format_.get());
        if (!audio) return std::unexpected(audio.error());
        audio_ = std::move(*audio);
        // Matroska subtracts Opus's pre-skip from block times: shift by it so the first audible sample, like
        // the first video frame, is at 0 (mp4 expresses AAC's priming in an edit list instead).
        const bool webm = settings_.container == Container::webm;
        chunker_.emplace(audio_->codec.get(), webm ? audio_->codec->initial_padding : 0);
    }
    return {};
}

Result<void> MuxEncoder::write_header(const std::string& url) {
    if (int err = avio_open(&format_->pb, url.c_str(), AVIO_FLAG_WRITE); err < 0) {
        return fail(Code::io,
                    fmt::format("cannot write {}: {}", settings_.path.string(), av_error_text(err)));
    }
    AVDictionary* options = nullptr;
    if (settings_.container == Container::mp4) av_dict_set(&options, "movflags", "+faststart", 0);
    const int err = avformat_write_header(format_.get(), &options);
    av_dict_free(&options);
    if (err < 0) return fail(Code::io, "writing the header: " + av_error_text(err));
    return {};
}

Result<void> MuxEncoder::encode(OutputStream& out, AVFrame* frame) {
    if (int err = avcodec_send_frame(out.codec.get(), frame); err < 0) {
        return fail(Code::internal, "encoding: " + av_error_text(err));
    }
    while (true) {
        const int err = avcodec_receive_packet(out.codec.get(), packet_.get());
        if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return {};
        if (err < 0) return fail(Code::internal, "encoding: " + av_error_text(err));
        av_packet_rescale_ts(packet_.get(), out.codec->time_base, out.stream->time_base);
        packet_->stream_index = out.stream->index;
        if (int werr = av_interleaved_write_frame(format_.get(), packet_.get()); werr < 0) {
            return fail(Code::io, "writing a packet: " + av_error_text(werr));
        }
    }
}

Result<void> MuxEncoder::drain_palette() {
    while (true) {
        auto got = palette_->pull(scratch_.get());
        if (!got) return std::unexpected(got.error());
        if (!*got) return {};
        auto done = encode(video_, scratch_.get());
        av_frame_unref(scratch_.get());
        if (!done) return done;
    }
}

Result<void> MuxEncoder::write_video(VideoFrame frame) {
    AVFrame* av = frame.impl() ? frame.impl()->frame.get() : nullptr;
    if (!av || av->width != settings_.width || av->height != settings_.height) {
        return fail(Code::internal, "write_video needs a frame from this encoder's FrameConverter");
    }
    av->pts = frames_written_++;
    if (!palette_) return encode(video_, av);
    if (auto pushed = palette_->push(av); !pushed) return pushed;
    return drain_palette();
}

Result<void> MuxEncoder::write_audio(std::span<const float> samples) {
    if (!chunker_) return {};
    chunker_->append(samples);
    return flush_audio(false);
}

Result<void> MuxEncoder::flush_audio(bool final) {
    while (true) {
        auto frame = chunker_->next(final);
        if (!frame) return std::unexpected(frame.error());
        if (!*frame) return {};
        if (auto done = encode(*audio_, *frame); !done) return done;
    }
}

Result<void> MuxEncoder::finish() {
    if (finished_) return {};
    finished_ = true;
    if (palette_) {
        if (auto pushed = palette_->push(nullptr); !pushed) return pushed;
        if (auto drained = drain_palette(); !drained) return drained;
    }
    if (auto done = encode(video_, nullptr); !done) return done;
    if (chunker_) {
        const double seconds = double(frames_written_) * settings_.fps_den / settings_.fps_num;
        chunker_->pad_to(std::llround(seconds * 48000));
        if (auto done = flush_audio(true); !done) return done;
        if (auto done = encode(*audio_, nullptr); !done) return done;
    }
    if (int err = av_write_trailer(format_.get()); err < 0) {
        return fail(Code::io, "writing the trailer: " + av_error_text(err));
    }
    return {};
}

}  // namespace

Result<std::unique_ptr<Encoder>> Encoder::open(const EncoderSettings& settings) {
    auto encoder = std::make_unique<MuxEncoder>();
    if (auto started = encoder->start(settings); !started) return std::unexpected(started.error());
    return std::unique_ptr<Encoder>(std::move(encoder));
}

}  // namespace vidgen::media
