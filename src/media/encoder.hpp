// Encoding and muxing the rendered output. The render pipeline converts composed ARGB32 frames to the
// encoder's pixel format in parallel (one FrameConverter shared by its threads) and hands them to one
// Encoder in presentation order (Encoder is not thread-safe).
#pragma once

#include <filesystem>
#include <memory>
#include <span>

#include "core/error.hpp"
#include "media/bitmap.hpp"
#include "media/yuv.hpp"

namespace vidgen::media {

enum class Container { mp4, webm, gif };

struct EncoderSettings {
    std::filesystem::path path;
    Container container = Container::mp4;  // mp4: H.264 + AAC, faststart; webm: VP9 + Opus; gif: palette
    int width = 1920;
    int height = 1080;
    int fps_num = 30;  // frame rate as a fraction (29.97 = 30000/1001)
    int fps_den = 1;
    int crf = 23;
    const char* preset = "veryfast";  // libx264 preset (VP9 maps it to a speed)
    bool audio = true;                // an audio stream (48 kHz stereo) is written
    int threads = 0;                  // 0 = automatic
};

// A frame in the encoder's pixel format (yuv420p for H.264/VP9, BGRA for GIF). Opaque; movable.
class VideoFrame {
  public:
    VideoFrame();
    ~VideoFrame();
    VideoFrame(VideoFrame&&) noexcept;
    VideoFrame& operator=(VideoFrame&&) noexcept;
    // Another reference to the same pixels (no copy), for a frame that repeats the one before it.
    VideoFrame share() const;
    // The planes of a YUV 4:2:0 frame, to draw into before it is written (empty for other formats).
    YuvView yuv() const;
    struct Impl;
    Impl* impl() const { return impl_.get(); }

  private:
    std::unique_ptr<Impl> impl_;
};

// Converts ARGB32 bitmaps to VideoFrames for one encoder's settings (BT.709, limited range for HD and
// BT.601 below 720 lines, tagged accordingly). Thread-safe: threads converting frames for one encoder
// share one converter, and so one pool of frame buffers (as many as frames in flight).
class FrameConverter {
  public:
    explicit FrameConverter(const EncoderSettings& settings);
    ~FrameConverter();
    Result<VideoFrame> convert(const Bitmap& bitmap);
    // A YUV 4:2:0 frame of the encoder's size, tagged like convert()'s, its pixels unspecified until the
    // caller draws them through yuv(). Fails for GIF (which takes ARGB32).
    Result<VideoFrame> blank_frame();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

class Encoder {
  public:
    static Result<std::unique_ptr<Encoder>> open(const EncoderSettings& settings);
    virtual ~Encoder() = default;

    // Frames in order, one per output frame; the encoder numbers them (pts = index).
    virtual Result<void> write_video(VideoFrame frame) = 0;
    // Interleaved stereo float at 48 kHz, any amount per call; the encoder chunks it into codec frames.
    virtual Result<void> write_audio(std::span<const float> samples) = 0;
    // Flushes both encoders, writes the trailer (and for mp4 moves the index to the front).
    virtual Result<void> finish() = 0;
};

}  // namespace vidgen::media
