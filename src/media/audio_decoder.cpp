#include "media/audio_decoder.hpp"

#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "media/detail/decoding.hpp"
#include "media/detail/input.hpp"

namespace vidgen::media {
namespace {

using namespace detail;

// Resamples decoded frames to the mix format and keeps them until they are taken, dropping what lies before
// `start` and what lies past `max_seconds` of it.
class MixCollector {
  public:
    MixCollector(double start, double max_seconds)
        : start_(start), left_(std::size_t(std::max(0.0, max_seconds) * kMixRate)) {}

    // `seconds`: the frame's source time (the first frame's decides how much lies before `start`).
    Result<void> add(const AVFrame* frame, double seconds);
    Result<void> flush();
    bool full() const { return left_ == 0; }
    std::size_t pending() const { return pending_.size() / kMixChannels; }
    // Moves the first `frames` pending stereo frames (at most) to the end of `out`; how many it moved.
    std::size_t take(std::size_t frames, std::vector<float>& out);

  private:
    Result<void> open(const AVFrame* frame, double seconds);
    void append(const float* samples, std::int64_t count);

    double start_;
    std::size_t left_;       // stereo frames still wanted
    std::int64_t skip_ = 0;  // output samples still to drop before `start`
    SwrPtr swr_;
    std::vector<float> pending_;
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

void MixCollector::append(const float* samples, std::int64_t count) {
    const std::int64_t dropped = std::min<std::int64_t>(skip_, count);
    skip_ = std::max<std::int64_t>(0, skip_ - dropped);
    if (dropped < 0) {  // the source starts after `start`: silence until it does
        const auto silence = std::min(std::size_t(-dropped), left_);
        pending_.resize(pending_.size() + silence * kMixChannels, 0.0f);
        left_ -= silence;
    }
    const std::int64_t first = std::max<std::int64_t>(0, dropped);
    const auto kept = std::min(std::size_t(std::max<std::int64_t>(0, count - first)), left_);
    pending_.insert(pending_.end(), samples + first * kMixChannels, samples + (first + kept) * kMixChannels);
    left_ -= kept;
}

std::size_t MixCollector::take(std::size_t frames, std::vector<float>& out) {
    const std::size_t moved = std::min(frames, pending());
    const auto end = pending_.begin() + std::ptrdiff_t(moved * kMixChannels);
    out.insert(out.end(), pending_.begin(), end);
    pending_.erase(pending_.begin(), end);
    return moved;
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

struct AudioReader::State {
    State(double start, double max_seconds) : collector(start, max_seconds) {}

    InputFormatPtr format;
    CodecContextPtr codec;
    std::optional<FrameReader> reader;  // none when the source has no audio stream
    int index = -1;
    MixCollector collector;
    FramePtr frame = make_frame();
    bool ended = false;

    // Decodes one more frame into the collector; flushes the resampler at the end.
    Result<void> decode_more();
};

Result<void> AudioReader::State::decode_more() {
    auto got = reader->next(frame.get());
    if (!got) return std::unexpected(got.error());
    if (!*got) {
        ended = true;
        return collector.flush();
    }
    const std::int64_t pts = frame->best_effort_timestamp;
    auto added =
        collector.add(frame.get(), pts == AV_NOPTS_VALUE ? 0 : source_seconds(format.get(), index, pts));
    av_frame_unref(frame.get());
    return added;
}

AudioReader::AudioReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
AudioReader::AudioReader(AudioReader&&) noexcept = default;
AudioReader& AudioReader::operator=(AudioReader&&) noexcept = default;
AudioReader::~AudioReader() = default;

Result<AudioReader> AudioReader::open(const std::filesystem::path& path, double start, double max_seconds,
                                      const InputLimits& limits) {
    start = std::max(0.0, start);
    auto state = std::make_unique<State>(start, max_seconds);
    auto format = open_input(path, limits);
    if (!format) return std::unexpected(format.error());
    state->format = std::move(*format);
    state->index = av_find_best_stream(state->format.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
    if (state->index < 0) return AudioReader(std::move(state));
    auto codec = open_decoder(state->format.get(), state->index, 1);
    if (!codec) return std::unexpected(codec.error());
    state->codec = std::move(*codec);
    state->reader.emplace(state->format.get(), state->codec.get(), state->index);
    if (start > 0) {
        if (auto sought = state->reader->seek(start); !sought) return std::unexpected(sought.error());
    }
    return AudioReader(std::move(state));
}

Result<std::size_t> AudioReader::read(std::size_t frames, std::vector<float>& out) {
    State& s = *state_;
    if (!s.reader) return 0;
    while (s.collector.pending() < frames && !s.ended && !s.collector.full()) {
        if (auto more = s.decode_more(); !more) return std::unexpected(more.error());
    }
    return s.collector.take(frames, out);
}

Result<std::vector<float>> decode_audio(const std::filesystem::path& path, double start, double max_seconds,
                                        const InputLimits& limits) {
    auto reader = AudioReader::open(path, start, max_seconds, limits);
    if (!reader) return std::unexpected(reader.error());
    std::vector<float> samples;
    const auto frames = std::size_t(std::max(0.0, max_seconds) * kMixRate);
    if (auto read = reader->read(frames, samples); !read) return std::unexpected(read.error());
    return samples;
}

}  // namespace vidgen::media
