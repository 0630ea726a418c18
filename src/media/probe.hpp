// Probing a media file: container, duration, streams. Opens the file through the input policy.
// Thread-safe: each call has its own demuxer.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "media/policy.hpp"

namespace vidgen::media {

struct StreamInfo {
    enum class Kind { video, audio, other };
    Kind kind = Kind::other;
    std::string codec;
    double duration = 0;  // seconds, 0 when unknown
    // video
    int width = 0, height = 0;
    double fps = 0;  // average frame rate
    bool variable_frame_rate = false;
    int rotation = 0;  // display rotation in degrees (0, 90, 180, 270)
    std::string color_space, color_primaries, color_transfer, color_range;  // "bt709", "tv"…; empty if unset
    // audio
    int sample_rate = 0;
    int channels = 0;
};

struct ProbeInfo {
    std::string format;   // demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
    double duration = 0;  // seconds
    std::uintmax_t size_bytes = 0;
    std::vector<StreamInfo> streams;
    const StreamInfo* video() const;  // first video stream or nullptr
    const StreamInfo* audio() const;  // first audio stream or nullptr
};

Result<ProbeInfo> probe(const std::filesystem::path& path, const InputLimits& limits = {});

// JSON text of a probe, as `vidgen probe` prints it.
std::string to_json(const ProbeInfo& info);

}  // namespace vidgen::media
