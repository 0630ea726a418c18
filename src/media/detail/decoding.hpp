// Shared decode plumbing for the video and audio decoders: opening the decoder of one stream and pulling
// decoded frames packet by packet. Internal to the media module; not thread-safe.
#pragma once

#include "core/error.hpp"
#include "media/detail/av.hpp"

namespace vidgen::media::detail {

// Opens a decoder for stream `index` of `format` (with `threads` threads, 0 = automatic).
Result<CodecContextPtr> open_decoder(const AVFormatContext* format, int index, int threads);

// Pulls decoded frames of one stream: reads packets as needed, flushes the decoder at the end.
class FrameReader {
  public:
    FrameReader(AVFormatContext* format, AVCodecContext* codec, int stream_index);
    // The next frame into `out`; false at the end of the stream.
    Result<bool> next(AVFrame* out);
    // Seeks to the keyframe at or before `seconds` (stream time) and flushes the decoder.
    Result<void> seek(double seconds);

  private:
    AVFormatContext* format_;
    AVCodecContext* codec_;
    int stream_index_;
    PacketPtr packet_ = make_packet();
    bool flushing_ = false;
};

}  // namespace vidgen::media::detail
