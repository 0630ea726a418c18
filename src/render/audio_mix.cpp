#include "render/audio_mix.hpp"

#include <algorithm>
#include <cmath>

#include "media/audio_decoder.hpp"

namespace vidgen::render {
namespace {

constexpr double kRate = media::kMixRate;

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

void place_audio(std::span<const float> source, const AudioPlacement& p, double range_start,
                 std::span<float> mix, double skipped) {
    const long source_frames = static_cast<long>(source.size() / 2);
    const long mix_frames = static_cast<long>(mix.size() / 2);
    if (source_frames == 0) return;
    long first = std::max(0L, static_cast<long>(std::ceil((p.start - range_start) * kRate)));
    long last = std::min(mix_frames, static_cast<long>(std::ceil((p.end - range_start) * kRate)));
    double length = p.end - p.start;
    for (long i = first; i < last; ++i) {
        double local = (range_start + i / kRate) - p.start;
        double pos = (local - skipped) * p.speed * kRate;
        if (p.loop) pos = std::fmod(pos, static_cast<double>(source_frames));
        long at = static_cast<long>(pos);
        if (at >= source_frames) break;
        double frac = pos - at;
        long next = at + 1 < source_frames ? at + 1 : (p.loop ? 0 : at);
        double gain = envelope(p.props, local, length);
        for (int c = 0; c < 2; ++c) {
            double a = source[2 * at + c], b = source[2 * next + c];
            mix[2 * i + c] += static_cast<float>((a + (b - a) * frac) * gain);
        }
    }
}

Result<AudioMix> mix_audio(std::span<const AudioPlacement> placements, double range_start, double duration,
                           const media::InputLimits& limits) {
    AudioMix mix;
    mix.samples.assign(2 * static_cast<std::size_t>(std::llround(duration * kRate)), 0.0f);
    for (const AudioPlacement& p : placements) {
        if (p.props.volume <= 0 || p.end <= range_start || p.start >= range_start + duration) continue;
        double skipped = seconds_skipped(p, range_start);
        auto decoded = media::decode_audio(p.source, p.trim + skipped * p.speed,
                                           seconds_needed(p, range_start, duration), limits);
        if (!decoded) return std::unexpected(decoded.error());
        place_audio(*decoded, p, range_start, mix.samples, skipped);
    }
    for (float s : mix.samples) mix.peak = std::max(mix.peak, std::abs(s));
    return mix;
}

}  // namespace vidgen::render
