#include "render/audio_mix.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "media/audio_decoder.hpp"

namespace vidgen::render {
namespace {

constexpr double kRate = media::kMixRate;
constexpr std::int64_t kReadAhead = 4096;  // stereo frames decoded at least per read

// Linear fade-in from the clip's start and fade-out to its end.
double envelope(const spec::AudioProps& p, double local, double length) {
    double gain = p.volume;
    if (p.fade_in > 0) gain *= std::clamp(local / p.fade_in, 0.0, 1.0);
    if (p.fade_out > 0) gain *= std::clamp((length - local) / p.fade_out, 0.0, 1.0);
    return gain;
}

// Clip seconds before the rendered range, which need not be decoded (a loop decodes its whole source).
double seconds_skipped(const AudioPlacement& p, double range_start) {
    return p.loop ? 0 : std::max(0.0, range_start - p.start);
}

// Source seconds to decode: what the rendered part of the clip reaches, or the whole source to loop.
double seconds_needed(const AudioPlacement& p, double range_start, double duration) {
    if (p.loop) return std::max(0.0, p.source_duration - p.trim);
    double last = std::min(p.end, range_start + duration) - p.start;
    return std::max(0.0, (last - seconds_skipped(p, range_start)) * p.speed + 0.05);
}

}  // namespace

// One placement's sound, decoded as the mix reaches it. Source frames are numbered from the first one
// decoded; a loop's passes follow on, so frame n·period + j is frame j of the source again.
class AudioMixer::Sound {
  public:
    Sound(const AudioPlacement& p, double range_start, double duration, const media::InputLimits& limits,
          double kept_loop_seconds)
        : p_(&p),
          limits_(limits),
          range_start_(range_start),
          skipped_(seconds_skipped(p, range_start)),
          decode_start_(p.trim + skipped_ * p.speed),
          decode_seconds_(seconds_needed(p, range_start, duration)),
          first_(std::max<std::int64_t>(0, std::int64_t(std::ceil((p.start - range_start) * kRate)))),
          last_(std::int64_t(std::ceil((p.end - range_start) * kRate))),
          keep_pass_(p.loop && decode_seconds_ <= kept_loop_seconds) {}

    // Adds this sound's part of the mix frames [first, first + mix.size() / 2) into `mix`.
    Result<void> add(std::span<float> mix, std::int64_t first);

  private:
    struct Position {
        std::int64_t frame;  // the source frame at or before the position
        double frac;         // how far towards the next one
    };
    Result<Position> position(double local);
    // Decodes until `frame` has been read (keeping `frame - 1`), or the source has ended.
    Result<void> read_to(std::int64_t frame);
    // A short loop's first pass, once read, stays whole: every frame of every pass is held.
    bool whole() const { return keep_pass_ && period_ > 0; }
    bool held(std::int64_t frame) const { return whole() || frame < read_end_; }
    float sample(std::int64_t frame, int channel) const {
        return window_[2 * (whole() ? frame % period_ : frame - base_) + channel];
    }
    void close();

    const AudioPlacement* p_;
    media::InputLimits limits_;
    double range_start_, skipped_, decode_start_, decode_seconds_;
    std::int64_t first_, last_;  // the mix frames it plays in
    std::optional<media::AudioReader> reader_;
    std::vector<float> window_;  // source frames [base_, read_end_)
    std::int64_t base_ = 0, read_end_ = 0;
    std::int64_t pass_start_ = 0;  // where the reader's pass of the source began
    std::int64_t period_ = 0;      // frames in one pass of a loop, once its first pass has ended
    bool ended_ = false;           // nothing more to read
    bool keep_pass_;               // a short loop: its first pass is kept, not decoded again
};

Result<void> AudioMixer::Sound::read_to(std::int64_t frame) {
    while (!whole() && read_end_ <= frame && !ended_) {
        if (const std::int64_t pass = period_ > 0 ? (frame - 1) / period_ * period_ : 0; pass > read_end_) {
            reader_.reset();  // skips whole passes of a loop
            window_.clear();
            base_ = read_end_ = pass;
        }
        if (!reader_) {
            auto reader = media::AudioReader::open(p_->source, decode_start_, decode_seconds_, limits_);
            if (!reader) return std::unexpected(reader.error());
            reader_ = std::move(*reader);
            pass_start_ = read_end_;
        }
        const auto wanted = std::size_t(std::max(frame + 1 - read_end_, kReadAhead));
        auto got = reader_->read(wanted, window_);
        if (!got) return std::unexpected(got.error());
        read_end_ += std::int64_t(*got);
        if (*got == wanted) continue;
        reader_.reset();
        const std::int64_t pass = read_end_ - pass_start_;
        ended_ = !p_->loop || pass == 0;
        if (p_->loop && period_ == 0) period_ = pass;
    }
    return {};
}

// Where clip second `local` falls in the source: a loop wraps at its period, as fmod would.
Result<AudioMixer::Sound::Position> AudioMixer::Sound::position(double local) {
    const double pos = (local - skipped_) * p_->speed * kRate;
    if (period_ == 0) {  // not a loop, or before its first pass has ended, when `pos` lies within that
        if (auto read = read_to(std::int64_t(pos) + 1); !read) return std::unexpected(read.error());
    }
    if (period_ == 0) return Position{std::int64_t(pos), pos - double(std::int64_t(pos))};
    const double within = std::fmod(pos, double(period_));
    const auto frame = std::llround((pos - within) / double(period_)) * period_ + std::int64_t(within);
    if (auto read = read_to(frame + 1); !read) return std::unexpected(read.error());
    return Position{frame, within - double(std::int64_t(within))};
}

Result<void> AudioMixer::Sound::add(std::span<float> mix, std::int64_t first) {
    const std::int64_t from = std::max(first, first_);
    const std::int64_t to = std::min(first + std::int64_t(mix.size() / 2), last_);
    const double length = p_->end - p_->start;
    std::int64_t used = -1;  // the last source frame used: the window keeps it and what follows
    bool source_over = false;
    for (std::int64_t i = from; i < to && !source_over; ++i) {
        const double local = (range_start_ + i / kRate) - p_->start;
        auto at = position(local);
        if (!at) return std::unexpected(at.error());
        source_over = !held(at->frame);
        if (source_over) break;
        const std::int64_t next = held(at->frame + 1) ? at->frame + 1 : at->frame;
        const double gain = envelope(p_->props, local, length);
        for (int c = 0; c < 2; ++c) {
            const double a = sample(at->frame, c), b = sample(next, c);
            mix[2 * (i - first) + c] += static_cast<float>((a + (b - a) * at->frac) * gain);
        }
        used = at->frame;
    }
    if (to >= last_ || source_over) {
        close();
    } else if (!keep_pass_ && used > base_) {
        window_.erase(window_.begin(), window_.begin() + 2 * (used - base_));
        base_ = used;
    }
    return {};
}

void AudioMixer::Sound::close() {
    reader_.reset();
    std::vector<float>().swap(window_);
    base_ = read_end_;
    ended_ = true;
    first_ = last_;
}

AudioMixer::AudioMixer(std::span<const AudioPlacement> placements, double range_start, double duration,
                       const media::InputLimits& limits, double kept_loop_seconds)
    : range_start_(range_start), total_(std::llround(duration * kRate)) {
    for (const AudioPlacement& p : placements) {
        if (p.props.volume <= 0 || p.end <= range_start || p.start >= range_start + duration) continue;
        sounds_.emplace_back(p, range_start, duration, limits, kept_loop_seconds);
    }
}

AudioMixer::AudioMixer(AudioMixer&&) noexcept = default;
AudioMixer::~AudioMixer() = default;

Result<std::span<const float>> AudioMixer::next(std::size_t frames) {
    const auto count = std::min<std::int64_t>(std::int64_t(frames), total_ - done_);
    chunk_.assign(2 * std::size_t(std::max<std::int64_t>(count, 0)), 0.0f);
    for (Sound& sound : sounds_) {
        if (auto added = sound.add(chunk_, done_); !added) return std::unexpected(added.error());
    }
    for (float s : chunk_) peak_ = std::max(peak_, std::abs(s));
    done_ += std::int64_t(chunk_.size() / 2);
    return std::span<const float>(chunk_);
}

}  // namespace vidgen::render
