// Limits a spec must stay within. The defaults suit a public service; a trusted CLI user may raise them.
// Value type.
#pragma once

#include <cstddef>

namespace vidgen::spec {

struct Limits {
    std::size_t max_json_bytes = 8u << 20;
    int max_depth = 32;  // nesting of JSON arrays and objects
    int max_width = 7680;
    int max_height = 4320;
    double max_fps = 120;
    double max_duration = 3600;  // seconds of timeline
    int max_tracks = 64;
    int max_clips = 2000;                 // over all tracks
    std::size_t max_text_length = 10000;  // characters per text clip
    int max_keyframes = 1000;             // per property
};

}  // namespace vidgen::spec
