// Working out when every clip plays: `start: auto` (after the previous clip on the track, overlapping it
// by a crossfade-in's duration), `length: auto` (a video's or audio's remaining source length, otherwise
// to the end of the timeline) and `end`, and the timeline's duration (explicit or the latest clip end).
// Pure; thread-safe.
#pragma once

#include <vector>

#include "core/error.hpp"
#include "spec/model.hpp"

namespace vidgen::render {

struct ClipTime {
    double start = 0, end = 0;
};

struct Timing {
    std::vector<std::vector<ClipTime>> clips;  // [track][clip]
    double duration = 0;
};

// `source_seconds[track][clip]` is the probed duration of a video or audio clip's source (0 otherwise).
Result<Timing> resolve_times(const spec::Timeline& timeline,
                             const std::vector<std::vector<double>>& source_seconds);

}  // namespace vidgen::render
