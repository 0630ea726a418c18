// Compressed runs: frames encoded once and written into many outputs without re-encoding. A video run is
// a closed stretch of H.264 (it starts with a keyframe and refers to nothing outside it), timestamped in
// frames of the whole output; runs with equal settings share parameter sets, so they join back to back. An
// audio track is a whole output's sound. A stream's packets past its first 16 MiB wait in an unlinked
// temporary file (TMPDIR, else /tmp). EncodedStream is immutable, shareable by threads; encoders are not.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "media/encoder.hpp"

namespace vidgen::media {

// Packets plus the codec parameters needed to mux them. Opaque.
class EncodedStream {
  public:
    struct Impl;
    explicit EncodedStream(std::unique_ptr<Impl> impl);
    ~EncodedStream();
    const Impl& impl() const { return *impl_; }
    std::size_t packet_count() const;
    std::int64_t first_frame() const;  // video: the number of the run's first frame in its output
    std::int64_t frame_count() const;  // video: frames in the run

  private:
    std::unique_ptr<Impl> impl_;
};

// An Encoder whose output stays with it (see above): frames given to write_video become the run's packets,
// the first frame numbered `first_frame`. Video only (mp4/H.264 settings; `settings.path` is not used).
class RunEncoder final : public Encoder {
  public:
    static Result<std::unique_ptr<RunEncoder>> open(const EncoderSettings& settings,
                                                    std::int64_t first_frame);
    ~RunEncoder() override;
    Result<void> write_video(VideoFrame frame) override;
    // `count` >= 1 frames that all show `frame`, at the cost of a few: x264 encodes the picture (twice
    // unless it starts the run, so that everything shown before it is decoded first, and again every few
    // dozen frames) and the other frames are skipped P frames that copy it, inserted into x264's stream
    // (its later pictures' numbers and timestamps moved on). Decoders see the pictures x264 made.
    Result<void> write_still(VideoFrame frame, std::int64_t count);
    Result<void> write_audio(std::span<const float> samples) override;  // refuses samples: video only
    Result<void> finish() override;
    // The encoded run; valid after finish().
    std::shared_ptr<const EncodedStream> run() const;

  private:
    struct State;
    explicit RunEncoder(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

// Where encode_audio_track takes its sound from: the next `frames` stereo frames of 48 kHz interleaved
// float, fewer only once the sound ends. The span stays valid until the next call.
using AudioPull = std::function<Result<std::span<const float>>(std::size_t frames)>;

// Encodes the whole sound `pull` gives (AAC for mp4), padded with silence to `seconds`. Stops with
// Code::canceled once `stop` (when given) is raised.
Result<std::shared_ptr<const EncodedStream>> encode_audio_track(const AudioPull& pull, double seconds,
                                                                const EncoderSettings& settings,
                                                                const std::atomic<bool>* stop = nullptr);

// Writes `runs` back to back (their frame numbers must follow on) and the optional audio into
// `settings.path` as mp4 with faststart. Runs must come from RunEncoders with equal settings.
Result<void> mux_runs(const EncoderSettings& settings,
                      std::span<const std::shared_ptr<const EncodedStream>> runs, const EncodedStream* audio);

// A segment file: `runs` (following on, equal settings) written so that read_runs gives them back exactly
// in another process; the pieces of a segment-parallel render travel through the media store this way.
// `label` is stored too (and ignored by read_runs): equal runs with other labels make other files.
Result<void> write_runs(std::span<const std::shared_ptr<const EncodedStream>> runs,
                        const std::filesystem::path& path, std::string_view label = {});
// A file that is not a segment file, or is damaged, is Code::invalid_argument.
Result<std::vector<std::shared_ptr<const EncodedStream>>> read_runs(const std::filesystem::path& path);

}  // namespace vidgen::media
