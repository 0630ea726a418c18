#include "media/static_run.hpp"

#include <cstring>
#include <span>

#include "media/detail/encoded_stream.hpp"
#include "media/detail/h264_params.hpp"
#include "media/detail/h264_skip_slice.hpp"

namespace vidgen::media {
namespace {

using namespace detail;

// x264 learns its real B-frame delay (0, 1 or 2 frames; not always what the codec parameters say, e.g.
// lossless drops B-frames) from a run's third frame, and until then stamps dts = pts. So the frame is
// encoded three times and only the first packet, the IDR, is kept: its dts is then the one any longer run
// of these settings starts with, so the static run follows on from and leads into such runs.
constexpr int kFramesToLearnDelay = 3;
// Skip frames written between two looks at the cancel flag.
constexpr std::int64_t kFramesBetweenChecks = 256;

bool canceled(const std::atomic<bool>* cancel) {
    return cancel && cancel->load();
}

Result<std::shared_ptr<const EncodedStream>> encode_keyframe(const EncoderSettings& settings,
                                                             std::int64_t first_frame, VideoFrame frame) {
    auto encoder = RunEncoder::open(settings, first_frame);
    if (!encoder) return std::unexpected(encoder.error());
    for (int i = 0; i < kFramesToLearnDelay; ++i) {
        if (auto written = (*encoder)->write_video(frame.share()); !written)
            return std::unexpected(written.error());
    }
    if (auto finished = (*encoder)->finish(); !finished) return std::unexpected(finished.error());
    auto run = (*encoder)->run();
    const auto& packets = run->impl().packets;
    if (packets.empty() || !(packets.front()->flags & AV_PKT_FLAG_KEY) || packets.front()->pts != first_frame)
        return fail(Code::internal, "x264 did not start a run with its keyframe");
    return run;
}

Result<PacketPtr> copy_packet(const AVPacket& source) {
    PacketPtr packet(av_packet_clone(&source));
    if (!packet) return fail(Code::internal, "out of memory copying a packet");
    return packet;
}

Result<PacketPtr> skip_packet(const ParameterSets& sets, std::int64_t index, std::int64_t pts,
                              std::int64_t delay) {
    const auto nal = skip_slice_nal(sets, index);
    PacketPtr packet = make_packet();
    if (!packet || av_new_packet(packet.get(), int(nal.size())) < 0)
        return fail(Code::internal, "out of memory for a skip frame");
    std::memcpy(packet->data, nal.data(), nal.size());
    packet->pts = pts;
    packet->dts = pts - delay;
    packet->duration = 1;
    return packet;
}

std::unique_ptr<EncodedStream::Impl> copy_description(const EncodedStream::Impl& keyframe) {
    auto impl = std::make_unique<EncodedStream::Impl>();
    avcodec_parameters_copy(impl->params.get(), keyframe.params.get());
    impl->time_base = keyframe.time_base;
    impl->first_frame = keyframe.first_frame;
    return impl;
}

}  // namespace

Result<std::shared_ptr<const EncodedStream>> encode_static_run(const EncoderSettings& settings,
                                                               std::int64_t first_frame, std::int64_t count,
                                                               VideoFrame frame,
                                                               const std::atomic<bool>* cancel) {
    if (count < 1) return fail(Code::internal, "a static run needs at least one frame");
    if (canceled(cancel)) return fail(Code::canceled, "render canceled");
    auto keyframe_run = encode_keyframe(settings, first_frame, std::move(frame));
    if (!keyframe_run) return std::unexpected(keyframe_run.error());
    const auto& keyframe = (*keyframe_run)->impl();
    const AVCodecParameters& params = *keyframe.params;
    auto sets = parse_parameter_sets(std::span(params.extradata, std::size_t(params.extradata_size)));
    if (!sets) return std::unexpected(sets.error());
    auto impl = copy_description(keyframe);
    impl->frames = count;
    auto idr = copy_packet(*keyframe.packets.front());
    if (!idr) return std::unexpected(idr.error());
    const std::int64_t delay = (*idr)->pts - (*idr)->dts;  // kept by every following frame
    impl->packets.reserve(std::size_t(count));
    impl->packets.push_back(std::move(*idr));
    for (std::int64_t k = 1; k < count; ++k) {
        if (k % kFramesBetweenChecks == 0 && canceled(cancel)) return fail(Code::canceled, "render canceled");
        auto packet = skip_packet(*sets, k, first_frame + k, delay);
        if (!packet) return std::unexpected(packet.error());
        impl->packets.push_back(std::move(*packet));
    }
    return std::make_shared<const EncodedStream>(std::move(impl));
}

}  // namespace vidgen::media
