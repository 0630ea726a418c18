// Building blocks of the Encoder: opening the codec of each output stream, and the palette filter graph
// that turns ARGB32 frames into paletted GIF frames. Internal to the media module; not thread-safe.
#pragma once

#include <cstdio>
#include <memory>

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

// GIF palette in two passes, in bounded memory: frames feed palettegen (stats_mode=diff) and are spilled raw
// to an anonymous temporary file; at the end the palette and the replayed frames go through paletteuse
// (bayer dither). Frames come out only after push(nullptr): the palette needs every frame first.
class PaletteGraph {
  public:
    static Result<PaletteGraph> open(const EncoderSettings& settings);
    Result<void> push(AVFrame* frame);  // nullptr = end of input
    // The next paletted frame into `out`; false when none is ready (yet).
    Result<bool> pull(AVFrame* out);

  private:
    struct FileCloser {
        void operator()(std::FILE* file) const { std::fclose(file); }
    };
    Result<void> spill(const AVFrame* frame);
    Result<void> start_mapping();
    Result<bool> replay_next();

    int width_ = 0, height_ = 0;
    AVRational time_base_{1, 1};
    FilterGraphPtr stats_graph_;
    AVFilterContext* stats_in_ = nullptr;
    AVFilterContext* stats_out_ = nullptr;
    FilterGraphPtr map_graph_;
    AVFilterContext* map_in_ = nullptr;
    AVFilterContext* map_palette_ = nullptr;
    AVFilterContext* map_out_ = nullptr;
    std::unique_ptr<std::FILE, FileCloser> spill_;
    std::int64_t spilled_ = 0, replayed_ = 0;
    bool ended_ = false, map_input_closed_ = false;
};

}  // namespace vidgen::media::detail
