// Decoding a video source's frames, scaled to the size they are drawn at, in ARGB32.
// Fast for the common case of asking for times in increasing order (decode forward, no seek); seeks
// frame-accurately when asked to jump backwards or far ahead. One instance per thread: not thread-safe.
#pragma once

#include <filesystem>
#include <memory>

#include "core/error.hpp"
#include "media/bitmap.hpp"
#include "media/policy.hpp"
#include "media/yuv.hpp"

namespace vidgen::media {

// A decoded source frame before conversion: a reference to the decoder's pixels (no copy). Converting
// it is the costly part, so it may run on any thread, each call independent of the others.
class SourceFrame {
  public:
    SourceFrame();
    ~SourceFrame();
    SourceFrame(SourceFrame&&) noexcept;
    SourceFrame& operator=(SourceFrame&&) noexcept;
    bool empty() const { return impl_ == nullptr; }
    // Scaled to the decoder's output size, display rotation applied, premultiplied ARGB32.
    Result<Bitmap> to_bitmap() const;
    // The same into `into`, reusing its pixels when it already has the right size (no allocation).
    Result<void> to_bitmap(Bitmap& into) const;

    int width() const;  // the decoder's output size (before display rotation); 0 when empty
    int height() const;
    // Whether to_yuv420 may stand in for to_bitmap followed by FrameConverter with the matrix `bt709`
    // names: an opaque, unrotated, limited-range YUV source read with that matrix, whose values then pass
    // through unchanged (without the RGB round trip's rounding and clipping).
    bool scales_to_yuv420(bool bt709) const;
    // Scaled to the decoder's output size straight into YUV 4:2:0 (`into` must be width() × height()).
    Result<void> to_yuv420(const YuvView& into) const;

    struct Impl;
    explicit SourceFrame(std::unique_ptr<Impl> impl);

  private:
    std::unique_ptr<Impl> impl_;
};

// How frames will be asked for. `sequential`: in increasing time order over a stretch (a render): a
// thread of the decoder's own decodes a few frames ahead, one codec thread per source up to 1080p. `random`:
// a few frames (previews, single frames): decoded on demand with a codec thread per core.
enum class Access { random, sequential };

class VideoDecoder {
  public:
    // Opens the first video stream of `path`; frames come out as `width` × `height` (stretched: the
    // caller has already worked out the fit). Applies display rotation.
    static Result<std::unique_ptr<VideoDecoder>> open(const std::filesystem::path& path, int width,
                                                      int height, const InputLimits& limits = {},
                                                      Access access = Access::random);
    virtual ~VideoDecoder() = default;

    // The frame showing at `seconds` of the source (the last frame whose timestamp is <= seconds; the last
    // frame of the stream past its end). The reference stays valid until the next call.
    virtual Result<const Bitmap*> frame_at(double seconds) = 0;

    // The same frame unconverted, for callers that convert on other threads.
    virtual Result<SourceFrame> source_frame_at(double seconds) = 0;

    virtual double duration() const = 0;  // seconds
    virtual double fps() const = 0;
};

}  // namespace vidgen::media
