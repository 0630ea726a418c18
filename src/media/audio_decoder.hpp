// Decoding a source's first audio stream to 48 kHz interleaved stereo float, the mix format.
// Thread-safe: each call has its own decoder.
#pragma once

#include <filesystem>
#include <vector>

#include "core/error.hpp"
#include "media/policy.hpp"

namespace vidgen::media {

inline constexpr int kMixRate = 48000;
inline constexpr int kMixChannels = 2;

// Samples from `start` seconds of the source, at most `max_seconds` long (less when the source ends).
// A source with no audio stream gives an empty vector, not an error.
Result<std::vector<float>> decode_audio(const std::filesystem::path& path, double start, double max_seconds,
                                        const InputLimits& limits = {});

}  // namespace vidgen::media
