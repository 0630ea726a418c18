// Scaling decoded video frames: into premultiplied ARGB32 bitmaps (rotated for display) or straight into
// YUV 4:2:0, with one thread's scaling contexts kept per conversion. Internal to the media module.
// ScalerSet is not thread-safe (one per thread); the functions only touch their arguments.
#pragma once

#include <array>

#include "core/error.hpp"
#include "media/bitmap.hpp"
#include "media/detail/av.hpp"
#include "media/yuv.hpp"

namespace vidgen::media::detail {

// A few swscale contexts, one per conversion (source size, format and colours, target size and format),
// so a thread converting frames of several sizes in turn does not rebuild its filters each time.
class ScalerSet {
  public:
    // The context converting frames like `frame` to width × height in `format`.
    Result<SwsContext*> get(const AVFrame* frame, int width, int height, AVPixelFormat format);

  private:
    struct Key {
        int source_w = 0, source_h = 0, source_format = -1, space = 0, range = 0;
        int width = 0, height = 0, format = -1;
        bool operator==(const Key&) const = default;
    };
    struct Slot {
        Key key;
        SwsPtr sws;
    };
    std::array<Slot, 4> slots_;
    std::size_t next_ = 0;  // the slot replaced next
};

// Whether a frame's colours are read with BT.709 (tagged so, or untagged HD); else BT.601.
bool source_is_bt709(const AVFrame* frame);

// Scales `frame` to width × height (before rotation) into ARGB32, premultiplied, rotated for display.
// `into` is reused when it already has the right size and no rotation is needed.
Result<void> convert_frame(const AVFrame* frame, int width, int height, int rotation, ScalerSet& scalers,
                           Bitmap& into);

// Whether scale_to_yuv420 may stand in for convert_frame followed by FrameConverter (matrix `bt709`): an
// opaque YUV frame, limited range, read with that matrix.
bool scales_to_yuv420(const AVFrame* frame, bool bt709);

// Scales `frame` to into.width × into.height, YUV 4:2:0 (the frame's own matrix and range kept).
Result<void> scale_to_yuv420(const AVFrame* frame, ScalerSet& scalers, const YuvView& into);

}  // namespace vidgen::media::detail
