// The video decoders of one render: opened lazily per video clip at the size the clip is drawn, asked
// for frames in increasing time order. Not thread-safe: one instance per render, used by one thread.
#pragma once

#include <map>
#include <memory>
#include <vector>

#include "core/error.hpp"
#include "media/bitmap.hpp"
#include "media/video_decoder.hpp"
#include "render/frame_state.hpp"

namespace vidgen::render {

class Plan;

class VideoSources {
  public:
    explicit VideoSources(const Plan& plan) : plan_(plan) {}

    // Per layer of `state`: a copy of the video clip's source frame, or an empty bitmap.
    Result<std::vector<media::Bitmap>> frames(const FrameState& state);

  private:
    Result<media::VideoDecoder*> decoder_for(std::size_t clip_index);

    const Plan& plan_;
    std::map<std::size_t, std::unique_ptr<media::VideoDecoder>> decoders_;
};

// Pointers to the non-empty bitmaps of `frames` (null for empty ones), as compose() takes them.
std::vector<const media::Bitmap*> frame_pointers(const std::vector<media::Bitmap>& frames);

}  // namespace vidgen::render
