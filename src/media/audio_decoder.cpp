#include "media/audio_decoder.hpp"

#include <cmath>

#include <fmt/format.h>

#include "media/detail/decoding.hpp"
#include "media/detail/input.hpp"

namespace vidgen::media {
namespace {

using namespace detail;

// Resamples decoded frames to the mix format and collects them, dropping what lies before `start`.
class MixCollector {
  public:
    MixCollector(double start, double max_seconds)
        : start_(start), max_samples_(std::size_t(std::max(0.0, max_seconds) * kMixRate)) {}

    // `seconds`: the frame's source time (the first frame's decides how much lies before `start`).
    Result<void> add(const AVFrame* frame, double seconds);
    Result<void> flush();
    bool full() const { return out_.size() >= max_samples_ * kMixChannels; }
    std::vector<float> take() {
        out_.resize(std::min(out_.size(), max_samples_ * kMixChannels));
        return std::move(out_);
    }

  private:
    Result<void> open(const AVFrame* frame, double seconds);
    void append(const float* samples, int count);

    double start_;
    std::size_t max_samples_;
    std::int64_t skip_ = 0;  // output samples still to drop before `start`
    SwrPtr swr_;
    std::vector<float> out_;
    std::vector<float> scratch_;
};

Result<void> MixCollector::open(const AVFrame* frame, double seconds) {
    AVChannelLayout in_layout{};
    if (frame->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || frame->ch_layout.nb_channels == 0) {
        av_channel_layout_default(&in_layout, std::max(1, frame->ch_layout.nb_channels));
    } else {
        av_channel_layout_copy(&in_layout, &frame->ch_layout);
    }
    AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
    SwrContext* raw = nullptr;
    const int err = swr_alloc_set_opts2(&raw, &stereo, AV_SAMPLE_FMT_FLT, kMixRate, &in_layout,
                                        AVSampleFormat(frame->format), frame->sample_rate, 0, nullptr);
    const bool mono = in_layout.nb_channels == 1;
    av_channel_layout_uninit(&in_layout);
    swr_.reset(raw);
    // A mono source plays at full level on both sides (the default pan law would lower it by 3 dB).
    static constexpr double kMonoToStereo[2] = {1.0, 1.0};
    if (err >= 0 && mono) swr_set_matrix(swr_.get(), kMonoToStereo, 1);
    if (err < 0 || swr_init(swr_.get()) < 0) return fail(Code::unsupported, "cannot resample this audio");
    skip_ = std::llround((start_ - seconds) * kMixRate);
    return {};
}

void MixCollector::append(const float* samples, int count) {
    const std::int64_t dropped = std::min<std::int64_t>(skip_, count);
    skip_ = std::max<std::int64_t>(0, skip_ - dropped);
    if (dropped < 0) {  // the source starts after `start`: silence until it does
        const auto silence = std::min(std::size_t(-dropped), max_samples_);
        out_.resize(out_.size() + silence * kMixChannels, 0.0f);
    }
    const std::int64_t first = std::max<std::int64_t>(0, dropped);
    out_.insert(out_.end(), samples + first * kMixChannels, samples + std::int64_t(count) * kMixChannels);
}

Result<void> MixCollector::add(const AVFrame* frame, double seconds) {
    if (!swr_) {
        if (auto opened = open(frame, seconds); !opened) return opened;
    }
    const int capacity = swr_get_out_samples(swr_.get(), frame->nb_samples);
    scratch_.resize(std::size_t(std::max(capacity, 0)) * kMixChannels);
    auto* dst = reinterpret_cast<std::uint8_t*>(scratch_.data());
    const int got = swr_convert(swr_.get(), &dst, capacity,
                                const_cast<const std::uint8_t**>(frame->extended_data), frame->nb_samples);
    if (got < 0) return fail(Code::io, "resampling: " + av_error_text(got));
    append(scratch_.data(), got);
    return {};
}

Result<void> MixCollector::flush() {
    if (!swr_) return {};
    const int capacity = swr_get_out_samples(swr_.get(), 0);
    if (capacity <= 0) return {};
    scratch_.resize(std::size_t(capacity) * kMixChannels);
    auto* dst = reinterpret_cast<std::uint8_t*>(scratch_.data());
    const int got = swr_convert(swr_.get(), &dst, capacity, nullptr, 0);
    if (got > 0) append(scratch_.data(), got);
    return {};
}

}  // namespace

Result<std::vector<float>> decode_audio(const std::filesystem::path& path, double start, double max_seconds,
                                        const InputLimits& limits) {
    auto format = open_input(path, limits);
    if (!format) return std::unexpected(format.error());
    const int index = av_find_best_stream(format->get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
    if (index < 0) return std::vector<float>{};
    auto codec = open_decoder(format->get(), index, 1);
    if (!codec) return std::unexpected(codec.error());
    FrameReader reader(format->get(), codec->get(), index);
    start = std::max(0.0, start);
    if (start > 0) {
        if (auto sought = reader.seek(start); !sought) return std::unexpected(sought.error());
    }
    MixCollector collector(start, max_seconds);
    FramePtr frame = make_frame();
    while (!collector.full()) {
        auto got = reader.next(frame.get());
        if (!got) return std::unexpected(got.error());
        if (!*got) break;
        const std::int64_t pts = frame->best_effort_timestamp;
        auto added =
            collector.add(frame.get(), pts == AV_NOPTS_VALUE ? 0 : source_seconds(format->get(), index, pts));
        av_frame_unref(frame.get());
        if (!added) return std::unexpected(added.error());
    }
    if (auto flushed = collector.flush(); !flushed) return std::unexpected(flushed.error());
    return collector.take();
}

}  // namespace vidgen::media
