// YUV 4:2:0 pictures for composing without going through RGB: a view of three planes (a frame or a
// region of one), an owning picture, and premultiplied ARGB32 drawn over a view. Matrices and range are
// those of FrameConverter (limited range; BT.709 from 720 lines, BT.601 below).
// Views borrow; YuvImage owns its planes. Pure functions; thread-safe on distinct pixels.
#pragma once

#include <cstdint>
#include <vector>

#include "media/bitmap.hpp"

namespace vidgen::media {

// Three planes of a YUV 4:2:0 picture; chroma planes are half the size on each side. Does not own.
struct YuvView {
    std::uint8_t* y = nullptr;
    std::uint8_t* u = nullptr;
    std::uint8_t* v = nullptr;
    int y_stride = 0, u_stride = 0, v_stride = 0;
    int width = 0, height = 0;

    bool empty() const { return width <= 0 || height <= 0; }
    // The part from (x, y), w × h; x and y must be even and the part inside the picture.
    YuvView region(int x, int y, int w, int h) const;
};

// An owned YUV 4:2:0 picture (even width and height), contents unspecified until written.
class YuvImage {
  public:
    YuvImage() = default;
    YuvImage(int width, int height);
    YuvView view() { return view_; }

  private:
    std::vector<std::uint8_t> pixels_;
    YuvView view_;
};

// Whether encoded video `height` lines high uses the BT.709 matrix (else BT.601).
inline bool uses_bt709(int height) {
    return height >= 720;
}

// Copies `from` into `to` (same size).
void copy_yuv(const YuvView& from, const YuvView& to);

// Premultiplied ARGB32 layers (even width and height) turned once into what drawing them over YUV
// needs: per pixel its alpha and luma, per 2×2 block the summed alpha and the chroma (the block's
// average, as FrameConverter takes it). Drawing gives what converting the target to RGB, composing with
// OVER and converting back would, without the round trip's loss. Immutable once made.
class YuvOverlay {
  public:
    YuvOverlay() = default;
    YuvOverlay(const Bitmap& argb, bool bt709);
    int width() const { return width_; }
    int height() const { return height_; }
    // Draws over `target`, which must be this overlay's size.
    void draw_over(const YuvView& target) const;

  private:
    int width_ = 0, height_ = 0;
    std::vector<std::uint8_t> alpha_, luma_;         // per pixel
    std::vector<std::uint16_t> block_alpha_;         // per 2×2 block, 0..1020
    std::vector<std::int16_t> chroma_u_, chroma_v_;  // per 2×2 block, without the 128 offset
};

// Draws `overlay` (premultiplied ARGB32, the size of `target`) over `target` once.
void blend_argb(const Bitmap& overlay, const YuvView& target, bool bt709);

}  // namespace vidgen::media
