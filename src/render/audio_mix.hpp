// The audio mix of a rendered range: 48 kHz interleaved stereo float holding the soundtrack and every
// audio clip and video clip's own sound, each placed at its start, trimmed, looped, resampled for its
// speed (linear interpolation), with volume and linear fade-in/out ramps. Summed without limiting: the
// peak is reported so the planner can warn about clipping. Mixed a piece at a time, in order, so that a
// long timeline costs about one piece of each sounding source in memory. One mixer per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

#include "core/error.hpp"
#include "media/policy.hpp"
#include "spec/model.hpp"

namespace vidgen::render {

struct AudioPlacement {
    std::filesystem::path source;
    double start = 0, end = 0;  // timeline seconds the sound plays
    double trim = 0;            // source seconds skipped
    double speed = 1;
    bool loop = false;
    double source_duration = 0;  // seconds; needed to loop
    spec::AudioProps props{};
};

// A looping source up to this long is decoded once and kept (at most 1.9 MB); a longer one is decoded
// again for each pass (an open per pass: about 1 ms), so a looped 20 s soundtrack does not hold 7.7 MB.
inline constexpr double kKeptLoopSeconds = 5;

// Mixes the part [range_start, range_start + duration) of the timeline from its start. A source is
// opened when the mix reaches it and closed after its end. `placements` must outlive the mixer.
class AudioMixer {
  public:
    AudioMixer(std::span<const AudioPlacement> placements, double range_start, double duration,
               const media::InputLimits& limits, double kept_loop_seconds = kKeptLoopSeconds);
    AudioMixer(AudioMixer&&) noexcept;
    ~AudioMixer();

    // The next `frames` stereo frames of the mix, fewer at the end of the range (none past it). Valid
    // until the next call.
    Result<std::span<const float>> next(std::size_t frames);
    // The largest absolute sample mixed so far.
    float peak() const { return peak_; }

  private:
    class Sound;
    std::vector<Sound> sounds_;  // by placement; each with its own source reader once reached
    double range_start_;
    std::int64_t done_ = 0;  // stereo frames mixed so far
    std::int64_t total_;     // round(duration · 48000)
    std::vector<float> chunk_;
    float peak_ = 0;
};

}  // namespace vidgen::render
