// mux_runs: joins encoded runs and an audio track into one mp4 without re-encoding.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "media/detail/encoded_stream.hpp"
#include "media/runs.hpp"

namespace vidgen::media {
namespace {

using namespace detail;

bool same_parameter_sets(const AVCodecParameters& a, const AVCodecParameters& b) {
    return a.extradata_size == b.extradata_size &&
           (a.extradata_size == 0 ||
            std::memcmp(a.extradata, b.extradata, std::size_t(a.extradata_size)) == 0);
}

Result<void> check_runs(std::span<const std::shared_ptr<const EncodedStream>> runs) {
    if (runs.empty()) return fail(Code::internal, "mux_runs needs at least one run");
    std::int64_t next = runs.front()->impl().first_frame;
    for (const auto& run : runs) {
        const auto& r = run->impl();
        if (r.first_frame != next) {
            return fail(Code::internal,
                        fmt::format("run starts at frame {}, expected {}", r.first_frame, next));
        }
        if (!same_parameter_sets(*r.params, *runs.front()->impl().params)) {
            return fail(Code::internal, "runs were encoded with different settings");
        }
        next += r.frames;
    }
    return {};
}

Result<AVStream*> add_stream(AVFormatContext* format, const EncodedStream::Impl& source) {
    AVStream* stream = avformat_new_stream(format, nullptr);
    if (!stream) return fail(Code::internal, "cannot add an output stream");
    if (int err = avcodec_parameters_copy(stream->codecpar, source.params.get()); err < 0) {
        return fail(Code::internal, "stream parameters: " + av_error_text(err));
    }
    stream->codecpar->codec_tag = 0;
    stream->time_base = source.time_base;
    return stream;
}

// How far a piece's decode times start ahead of its presentation times (x264's B-frame delay, seen on the
// first packet, a keyframe shown first). A run too short for x264 to have started reordering has none.
std::int64_t reorder_delay(const EncodedStream::Impl& piece) {
    if (piece.packets.empty()) return 0;
    const PacketInfo& first = piece.packets.info(0);
    if (first.pts == AV_NOPTS_VALUE || first.dts == AV_NOPTS_VALUE) return 0;
    return std::max<std::int64_t>(0, first.pts - first.dts);
}

// Every packet of one output stream in order, across the encoded pieces it is made of. Decode times are
// shifted so that every piece has the largest piece's reorder delay: joined, they stay strictly increasing.
class PacketCursor {
  public:
    PacketCursor(std::vector<const EncodedStream::Impl*> pieces, AVStream* stream)
        : pieces_(std::move(pieces)), stream_(stream) {
        std::int64_t most = 0;
        for (const auto* piece : pieces_) most = std::max(most, reorder_delay(*piece));
        for (const auto* piece : pieces_) shifts_.push_back(most - reorder_delay(*piece));
        skip_empty();
    }
    bool done() const { return piece_ >= pieces_.size(); }
    Result<PacketPtr> packet() const { return pieces_[piece_]->packets.read(index_); }
    std::int64_t dts() const { return pieces_[piece_]->packets.info(index_).dts - shifts_[piece_]; }
    AVRational time_base() const { return pieces_[piece_]->time_base; }
    AVStream* stream() const { return stream_; }
    void advance() {
        ++index_;
        skip_empty();
    }

  private:
    void skip_empty() {
        while (piece_ < pieces_.size() && index_ >= pieces_[piece_]->packets.size()) ++piece_, index_ = 0;
    }
    std::vector<const EncodedStream::Impl*> pieces_;
    std::vector<std::int64_t> shifts_;
    AVStream* stream_;
    std::size_t piece_ = 0, index_ = 0;
};

Result<void> write_packet(AVFormatContext* format, PacketCursor& cursor) {
    auto packet = cursor.packet();
    if (!packet) return std::unexpected(packet.error());
    AVPacket* out = packet->get();
    out->dts = cursor.dts();
    av_packet_rescale_ts(out, cursor.time_base(), cursor.stream()->time_base);
    out->stream_index = cursor.stream()->index;
    cursor.advance();
    if (int err = av_interleaved_write_frame(format, out); err < 0) {
        return fail(Code::io, "writing a packet: " + av_error_text(err));
    }
    return {};
}

// Writes both streams in decode-time order, so the muxer interleaves them without buffering everything.
Result<void> write_interleaved(AVFormatContext* format, PacketCursor& video, PacketCursor* audio) {
    while (!video.done() || (audio && !audio->done())) {
        bool take_audio = audio && !audio->done() &&
                          (video.done() || av_compare_ts(audio->dts(), audio->time_base(), video.dts(),
                                                         video.time_base()) < 0);
        if (auto written = write_packet(format, take_audio ? *audio : video); !written) {
            return written;
        }
    }
    return {};
}

Result<OutputFormatPtr> open_output(const EncoderSettings& settings) {
    const std::string url = "file:" + settings.path.string();
    AVFormatContext* raw = nullptr;
    if (int err = avformat_alloc_output_context2(&raw, nullptr, "mp4", url.c_str()); err < 0) {
        return fail(Code::internal, "mp4 muxer: " + av_error_text(err));
    }
    return OutputFormatPtr(raw);
}

Result<void> write_header(AVFormatContext* format, const EncoderSettings& settings) {
    const std::string url = "file:" + settings.path.string();
    if (int err = avio_open(&format->pb, url.c_str(), AVIO_FLAG_WRITE); err < 0) {
        return fail(Code::io, fmt::format("cannot write {}: {}", settings.path.string(), av_error_text(err)));
    }
    AVDictionary* options = nullptr;
    av_dict_set(&options, "movflags", "+faststart", 0);
    const int err = avformat_write_header(format, &options);
    av_dict_free(&options);
    if (err < 0) return fail(Code::io, "writing the header: " + av_error_text(err));
    return {};
}

}  // namespace

Result<void> mux_runs(const EncoderSettings& settings,
                      std::span<const std::shared_ptr<const EncodedStream>> runs,
                      const EncodedStream* audio) {
    if (auto checked = check_runs(runs); !checked) return checked;
    quiet_libav_logs();
    auto format = open_output(settings);
    if (!format) return std::unexpected(format.error());
    auto video_stream = add_stream(format->get(), runs.front()->impl());
    if (!video_stream) return std::unexpected(video_stream.error());
    (*video_stream)->avg_frame_rate = AVRational{settings.fps_num, settings.fps_den};
    std::vector<const EncodedStream::Impl*> pieces;
    for (const auto& run : runs) pieces.push_back(&run->impl());
    PacketCursor video(std::move(pieces), *video_stream);
    std::optional<PacketCursor> sound;
    if (audio) {
        auto audio_stream = add_stream(format->get(), audio->impl());
        if (!audio_stream) return std::unexpected(audio_stream.error());
        sound.emplace(std::vector{&audio->impl()}, *audio_stream);
    }
    if (auto header = write_header(format->get(), settings); !header) return header;
    if (auto written = write_interleaved(format->get(), video, sound ? &*sound : nullptr); !written)
        return written;
    if (int err = av_write_trailer(format->get()); err < 0) {
        return fail(Code::io, "writing the trailer: " + av_error_text(err));
    }
    return {};
}

}  // namespace vidgen::media
