// The video decoders of one render: opened lazily per video clip at the size the clip is drawn, asked
// for frames in increasing time order; with sequential access each decoder decodes ahead on a thread of
// its own and is closed once the timeline has passed its clip. Not thread-safe: one instance per render,
// used by one thread; the frames it hands out are converted elsewhere (convert_frames), in parallel.
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
    explicit VideoSources(const Plan& plan, media::Access access = media::Access::random)
        : plan_(plan), access_(access) {}

    // Per layer of `state`: the video clip's decoded source frame (unconverted), or an empty one.
    Result<std::vector<media::SourceFrame>> frames(const FrameState& state);

  private:
    Result<media::VideoDecoder*> decoder_for(std::size_t clip_index);
    void close_finished(double time);

    const Plan& plan_;
    media::Access access_;
    std::map<std::size_t, std::unique_ptr<media::VideoDecoder>> decoders_;
};

// Converts source frames to bitmaps in `into` (one per frame; empty stays empty), reusing the bitmaps
// already there when their size fits. The costly part; safe on any thread with its own `into`.
Result<void> convert_frames(const std::vector<media::SourceFrame>& frames, std::vector<media::Bitmap>& into);

// Pointers to the non-empty bitmaps of `frames` (null for empty ones), as compose() takes them.
std::vector<const media::Bitmap*> frame_pointers(const std::vector<media::Bitmap>& frames);

}  // namespace vidgen::render
