#include "media/runs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "media/detail/audio_chunker.hpp"
#include "media/detail/encoded_stream.hpp"
#include "media/detail/encoder_parts.hpp"
#include "media/detail/frames.hpp"
#include "media/detail/h264_params.hpp"
#include "media/detail/h264_skip_slice.hpp"
#include "media/detail/h264_slice_numbers.hpp"

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

// Sends `frame` (nullptr flushes) and gives every packet that comes out to `take`.
template <typename Take>
Result<void> encode_into(AVCodecContext* codec, AVFrame* frame, Take&& take) {
    if (int err = avcodec_send_frame(codec, frame); err < 0) {
        return fail(Code::internal, "encoding: " + av_error_text(err));
    }
    while (true) {
        PacketPtr packet = make_packet();
        const int err = avcodec_receive_packet(codec, packet.get());
        if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return {};
        if (err < 0) return fail(Code::internal, "encoding: " + av_error_text(err));
        if (auto taken = take(std::move(packet)); !taken) return taken;
    }
}

// A packet holding `data`, with the timestamps, flags and side data of `like`.
Result<PacketPtr> packet_of(std::span<const std::uint8_t> data, const AVPacket& like) {
    PacketPtr packet = make_packet();
    if (!packet || av_new_packet(packet.get(), int(data.size())) < 0 ||
        av_packet_copy_props(packet.get(), &like) < 0)
        return fail(Code::internal, "out of memory for a packet");
    std::memcpy(packet->data, data.data(), data.size());
    return packet;
}

std::unique_ptr<EncodedStream::Impl> describe(const AVCodecContext* codec, PacketStore packets) {
    auto impl = std::make_unique<EncodedStream::Impl>();
    avcodec_parameters_from_context(impl->params.get(), codec);
    impl->time_base = codec->time_base;
    impl->packets = std::move(packets);
    return impl;
}

// Encodes every full frame `chunker` holds (`final`: the short rest too).
template <typename Keep>
Result<void> encode_frames(AudioChunker& chunker, AVCodecContext* codec, bool final, Keep& keep,
                           const std::atomic<bool>* stop) {
    while (true) {
        if (stop && stop->load()) return fail(Code::canceled, "render canceled");
        auto frame = chunker.next(final);
        if (!frame) return std::unexpected(frame.error());
        if (!*frame) return {};
        if (auto done = encode_into(codec, *frame, keep); !done) return done;
    }
}

}  // namespace

// Skipped frames waiting for x264's packet of the picture they follow.
struct PendingSkips {
    std::int64_t anchor = 0;  // x264's number of that picture
    std::int64_t count = 0;
};

struct RunEncoder::State {
    EncoderSettings settings;
    OutputFormatPtr host;
    OutputStream video;
    std::int64_t first_frame = 0;
    std::int64_t next_pts = 0;  // x264's number for the next frame: the output's, less the frames skipped
    std::int64_t skipped = 0;   // skipped frames so far: later packets' timestamps move on by this many
    SliceShift shift;           // what skipped frames since x264's last IDR move later slices' numbers by
    bool force_p = false;       // the next frame follows a still: a P frame, next to the still's last
    std::optional<ParameterSets> sets;
    std::deque<PendingSkips> pending;
    PacketStore packets;
    std::shared_ptr<const EncodedStream> run;

    Result<void> encode(AVFrame* frame);
    Result<void> send(const VideoFrame& frame, AVPictureType type);
    Result<void> take(PacketPtr packet);
    Result<void> append_skips(const AVPacket& anchor, std::int64_t count);
    std::int64_t most_skips_in_a_row() const;
};

Result<void> RunEncoder::State::encode(AVFrame* frame) {
    return encode_into(video.codec.get(), frame,
                       [this](PacketPtr packet) { return take(std::move(packet)); });
}

// Gives x264 the next frame as `type` (AV_PICTURE_TYPE_NONE: x264 decides).
Result<void> RunEncoder::State::send(const VideoFrame& frame, AVPictureType type) {
    AVFrame* av = frame.impl() ? frame.impl()->frame.get() : nullptr;
    if (!av || av->width != settings.width || av->height != settings.height) {
        return fail(Code::internal, "a run encoder needs frames from its own FrameConverter");
    }
    av->pts = next_pts++;
    av->pict_type = type;
    return encode(av);
}

Result<void> RunEncoder::State::take(PacketPtr packet) {
    const std::int64_t x264_pts = packet->pts;
    if (packet->flags & AV_PKT_FLAG_KEY) shift = {};
    if (shift.frame_num != 0 || shift.poc_lsb != 0) {
        auto shifted = shift_slice_numbers(*sets, std::span(packet->data, std::size_t(packet->size)), shift);
        if (!shifted) return std::unexpected(shifted.error());
        auto rewritten = packet_of(*shifted, *packet);
        if (!rewritten) return std::unexpected(rewritten.error());
        packet = std::move(*rewritten);
    }
    packet->pts += skipped;
    packet->dts += skipped;
    if (auto kept = packets.append(*packet); !kept) return kept;
    if (pending.empty() || pending.front().anchor != x264_pts) return {};
    const std::int64_t count = pending.front().count;
    pending.pop_front();
    return append_skips(*packet, count);
}

// With B-frames (pic_order_cnt_type 0) skipped frames are non-reference pictures: frame numbers and the
// decoded picture buffer stay as x264 made them, and only later pictures' order counts move on, by one a
// skipped frame. Without (type 2, order counts from frame numbers, x264 referring to one picture) each is
// a reference picture and later frame numbers move on.
Result<void> RunEncoder::State::append_skips(const AVPacket& anchor, std::int64_t count) {
    auto numbers = read_slice_numbers(*sets, std::span(anchor.data, std::size_t(anchor.size)));
    if (!numbers) return std::unexpected(numbers.error());
    if (numbers->slice_type % 5 == 1) return fail(Code::internal, "x264 made a still picture a B frame");
    const bool reference = sets->sps.pic_order_cnt_type != 0;
    const std::int64_t frame_nums = std::int64_t(1) << sets->sps.log2_max_frame_num;
    const std::int64_t poc_lsbs = std::int64_t(1) << sets->sps.log2_max_poc_lsb;
    for (std::int64_t k = 1; k <= count; ++k) {
        SkipPicture picture{std::uint32_t((numbers->frame_num + (reference ? k : 1)) % frame_nums),
                            std::uint32_t((numbers->poc_lsb + k) % poc_lsbs), reference};
        auto packet = packet_of(skip_slice_nal(*sets, picture), anchor);
        if (!packet) return std::unexpected(packet.error());
        (*packet)->pts = anchor.pts + k;
        (*packet)->dts = anchor.dts + k;
        (*packet)->flags = 0;
        if (auto kept = packets.append(**packet); !kept) return kept;
    }
    skipped += count;
    (reference ? shift.frame_num : shift.poc_lsb) += count;
    return {};
}

// Non-reference skipped frames take their order counts from the reference picture before them, which
// stays unambiguous within half the count's range; the picture after them (x264's, a P frame next to the
// one before) is two further on.
std::int64_t RunEncoder::State::most_skips_in_a_row() const {
    if (sets->sps.pic_order_cnt_type != 0) return std::numeric_limits<std::int64_t>::max();
    return (std::int64_t(1) << (sets->sps.log2_max_poc_lsb - 1)) - 3;
}

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
    const bool force_p = std::exchange(state_->force_p, false);
    return state_->send(frame, force_p ? AV_PICTURE_TYPE_P : AV_PICTURE_TYPE_NONE);
}

Result<void> RunEncoder::write_still(VideoFrame frame, std::int64_t count) {
    if (count < 1) return fail(Code::internal, "a still needs at least one frame");
    State& s = *state_;
    AVCodecContext* codec = s.video.codec.get();
    if (!s.sets) {
        auto sets = parse_parameter_sets(std::span(codec->extradata, std::size_t(codec->extradata_size)));
        if (!sets) return std::unexpected(sets.error());
        s.sets = *sets;
    }
    if (s.sets->sps.pic_order_cnt_type != 0 && s.sets->sps.max_num_ref_frames > 1) {
        for (std::int64_t i = 0; i < count; ++i)  // x264 may refer further back than skipped frames reach
            if (auto written = write_video(frame.share()); !written) return written;
        return {};
    }
    // x264 encodes the picture, and again right after unless it starts the run (then an IDR, which nothing
    // decoded later comes before); then skipped frames, with x264's copy of the picture between every
    // most_skips_in_a_row() of them. All but the run's first picture are forced to be P frames.
    const bool starts_run = s.next_pts == s.first_frame;
    std::int64_t left = count;
    for (std::int64_t picture = 0; left > 0; ++picture) {
        --left;
        const bool again_next = picture == 0 && !starts_run;
        const std::int64_t skips = again_next ? 0 : std::min(left, s.most_skips_in_a_row());
        if (skips > 0) s.pending.push_back({s.next_pts, skips});
        const auto type = starts_run && picture == 0 ? AV_PICTURE_TYPE_NONE : AV_PICTURE_TYPE_P;
        if (auto sent = s.send(frame.share(), type); !sent) return sent;
        left -= skips;
    }
    s.force_p = true;
    return {};
}

Result<void> RunEncoder::write_audio(std::span<const float> samples) {
    if (samples.empty()) return {};
    return fail(Code::internal, "a run encoder takes no audio");
}

Result<void> RunEncoder::finish() {
    if (state_->run) return {};
    if (auto flushed = state_->encode(nullptr); !flushed) return flushed;
    if (!state_->pending.empty()) return fail(Code::internal, "x264 did not return a still picture");
    auto impl = describe(state_->video.codec.get(), std::move(state_->packets));
    impl->first_frame = state_->first_frame;
    impl->frames = state_->next_pts - state_->first_frame + state_->skipped;
    state_->run = std::make_shared<EncodedStream>(std::move(impl));
    return {};
}

std::shared_ptr<const EncodedStream> RunEncoder::run() const {
    return state_->run;
}

Result<std::shared_ptr<const EncodedStream>> encode_audio_track(const AudioPull& pull, double seconds,
                                                                const EncoderSettings& settings,
                                                                const std::atomic<bool>* stop) {
    quiet_libav_logs();
    auto host = host_context();
    if (!host) return std::unexpected(host.error());
    auto audio = open_audio_stream(settings, host->get());
    if (!audio) return std::unexpected(audio.error());
    AVCodecContext* codec = audio->codec.get();
    AudioChunker chunker(codec, 0);
    PacketStore packets;
    auto keep = [&packets](PacketPtr packet) { return packets.append(*packet); };
    // A second at a time, so that neither the sound nor the chunker is ever held whole.
    constexpr std::size_t kStep = 48000;
    const std::int64_t length = std::llround(seconds * 48000);
    bool sound_left = true, last = false;
    for (std::int64_t at = kStep; !last; at += kStep) {
        if (sound_left) {
            auto chunk = pull(kStep);
            if (!chunk) return std::unexpected(chunk.error());
            chunker.append(*chunk);
            sound_left = chunk->size() / 2 == kStep;
        }
        chunker.pad_to(std::min(length, at));
        last = !sound_left && at >= length;
        if (auto done = encode_frames(chunker, codec, last, keep, stop); !done)
            return std::unexpected(done.error());
    }
    if (auto done = encode_into(codec, nullptr, keep); !done) return std::unexpected(done.error());
    return std::make_shared<const EncodedStream>(describe(codec, std::move(packets)));
}

}  // namespace vidgen::media
