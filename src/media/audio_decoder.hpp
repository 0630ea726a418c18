// Decoding a source's first audio stream to 48 kHz interleaved stereo float, the mix format: all at once
// (decode_audio) or a piece at a time (AudioReader), so that a long timeline is mixed without holding it.
// Thread-safe: each call or reader has its own decoder; one reader is used by one thread at a time.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <vector>

#include "core/error.hpp"
#include "media/policy.hpp"

namespace vidgen::media {

inline constexpr int kMixRate = 48000;
inline constexpr int kMixChannels = 2;

// Reads the samples from `start` seconds of a source, at most `max_seconds` of them (less when the source
// ends). A source with no audio stream reads as empty, not as an error.
class AudioReader {
  public:
    static Result<AudioReader> open(const std::filesystem::path& path, double start, double max_seconds,
                                    const InputLimits& limits = {});
    AudioReader(AudioReader&&) noexcept;
    AudioReader& operator=(AudioReader&&) noexcept;
    ~AudioReader();

    // Appends the next `frames` stereo frames to `out`, fewer only at the end; how many it appended.
    Result<std::size_t> read(std::size_t frames, std::vector<float>& out);

  private:
    struct State;
    explicit AudioReader(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

// Everything an AudioReader opened with these arguments reads.
Result<std::vector<float>> decode_audio(const std::filesystem::path& path, double start, double max_seconds,
                                        const InputLimits& limits = {});

}  // namespace vidgen::media
