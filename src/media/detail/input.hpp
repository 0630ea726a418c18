// The one way the media module opens a media file for demuxing: through the input policy (regular local
// file within limits, `file` protocol only, whitelisted demuxers, format checked by probing first).
// Internal to the media module. Thread-safe: each call returns its own context.
#pragma once

#include <filesystem>

#include "core/error.hpp"
#include "media/detail/av.hpp"
#include "media/policy.hpp"
#include "media/probe.hpp"

namespace vidgen::media::detail {

// Opens `path` and reads its stream information. Refuses formats outside allowed_demuxers() with
// Code::unsupported naming the format, and video streams larger than limits.max_video_side.
Result<InputFormatPtr> open_input(const std::filesystem::path& path, const InputLimits& limits);

// What probe() tells of an input opened by open_input (`path` gives its size on disk).
ProbeInfo describe_input(const AVFormatContext* format, const std::filesystem::path& path);

// Source time in seconds of a timestamp of stream `index`. Every stream shares one origin, the file's start
// time when it is positive (else 0), so audio and video stay in step; pre-roll before it is negative.
double source_seconds(const AVFormatContext* format, int index, std::int64_t pts);

// The timestamp of stream `index` at source time `seconds` (the inverse of source_seconds).
std::int64_t source_timestamp(const AVFormatContext* format, int index, double seconds);

}  // namespace vidgen::media::detail
