// Cuts interleaved 48 kHz stereo float into the encoder's frame size and sample format (planar or
// interleaved float), numbering frames in samples. Internal to the media module; not thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/error.hpp"
#include "media/detail/av.hpp"

namespace vidgen::media::detail {

class AudioChunker {
  public:
    // `pts_offset` is added to every frame's pts (in samples).
    AudioChunker(const AVCodecContext* codec, std::int64_t pts_offset);
    void append(std::span<const float> interleaved);
    // Appends silence until `total_samples` per channel have been given in all (no-op when past it).
    void pad_to(std::int64_t total_samples);
    // The next full codec frame, or with `final` the short remainder; nullptr when nothing is left.
    // The frame stays valid until the next call.
    Result<AVFrame*> next(bool final);

  private:
    void consume(std::size_t floats);

    const AVCodecContext* codec_;
    int frame_size_;
    std::vector<float> pending_;  // interleaved; pending_[read_..] not yet handed out
    std::size_t read_ = 0;
    std::int64_t samples_in_ = 0;
    std::int64_t samples_out_;
    FramePtr frame_ = make_frame();
};

}  // namespace vidgen::media::detail
