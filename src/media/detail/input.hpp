// The one way the media module opens a media file for demuxing: through the input policy (regular local
// file within limits, `file` protocol only, whitelisted demuxers, format checked by probing first).
// Internal to the media module. Thread-safe: each call returns its own context.
#pragma once

#include <filesystem>

#include "core/error.hpp"
#include "media/detail/av.hpp"
#include "media/policy.hpp"

namespace vidgen::media::detail {

// Opens `path` and reads its stream information. Refuses formats outside allowed_demuxers() with
// Code::unsupported naming the format, and video streams larger than limits.max_video_side.
Result<InputFormatPtr> open_input(const std::filesystem::path& path, const InputLimits& limits);

// Seconds of a timestamp in a stream's time base, relative to the stream's start time.
double stream_seconds(const AVStream* stream, std::int64_t pts);

}  // namespace vidgen::media::detail
