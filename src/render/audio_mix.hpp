// The audio mix of a rendered range: 48 kHz interleaved stereo float holding the soundtrack and every
// audio clip and video clip's own sound, each placed at its start, trimmed, looped, resampled for its
// speed (linear interpolation), with volume and linear fade-in/out ramps. Summed without limiting: the
// peak is reported so the planner can warn about clipping. Thread-safe: no shared state.
#pragma once

#include <filesystem>
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

struct AudioMix {
    std::vector<float> samples;  // exactly round(duration · 48000) stereo frames
    float peak = 0;              // largest absolute sample
};

// Mixes the part [range_start, range_start + duration) of the timeline.
Result<AudioMix> mix_audio(std::span<const AudioPlacement> placements, double range_start, double duration,
                           const media::InputLimits& limits);

// Adds `source` (48 kHz stereo) into `mix` as the placement says. `source` starts at the placement's trim,
// or, when `skipped` > 0, at the source position for `skipped` seconds into the clip (not for loops).
// Exposed for tests.
void place_audio(std::span<const float> source, const AudioPlacement& placement, double range_start,
                 std::span<float> mix, double skipped = 0);

}  // namespace vidgen::render
