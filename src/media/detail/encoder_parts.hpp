// Building blocks of the Encoder: opening the codec of each output stream, and the palette filter graph
// that turns ARGB32 frames into paletted GIF frames. Internal to the media module; not thread-safe.
#pragma once

#include "core/error.hpp"
#include "media/detail/av.hpp"
#include "media/encoder.hpp"

namespace vidgen::media::detail {

struct OutputStream {
    CodecContextPtr codec;
    AVStream* stream = nullptr;  // owned by the format context
};

// Adds the video stream (H.264, VP9 or GIF by container) to `format` and opens its encoder.
Result<OutputStream> open_video_stream(const EncoderSettings& settings, AVFormatContext* format);

// Adds the 48 kHz stereo audio stream (AAC for mp4, Opus for webm) and opens its encoder.
Result<OutputStream> open_audio_stream(const EncoderSettings& settings, AVFormatContext* format);

// split → palettegen (stats_mode=diff) → paletteuse (bayer dither). Frames come out only after end():
// the palette needs every frame first.
class PaletteGraph {
  public:
    static Result<PaletteGraph> open(const EncoderSettings& settings);
    Result<void> push(AVFrame* frame);  // nullptr = end of input
    // The next paletted frame into `out`; false when none is ready (yet).
    Result<bool> pull(AVFrame* out);

  private:
    FilterGraphPtr graph_;
    AVFilterContext* source_ = nullptr;
    AVFilterContext* sink_ = nullptr;
};

}  // namespace vidgen::media::detail
