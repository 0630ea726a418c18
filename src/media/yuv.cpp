#include "media/yuv.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

#include "media/detail/yuv_matrix.hpp"

namespace vidgen::media {
namespace {

using detail::Matrix;

struct Channels {
    int r = 0, g = 0, b = 0, a = 0;
};

Channels channels(std::uint32_t p) {
    return {int(p >> 16 & 0xFF), int(p >> 8 & 0xFF), int(p & 0xFF), int(p >> 24)};
}

std::uint8_t clamp_byte(int v) {
    return std::uint8_t(std::clamp(v, 0, 255));
}

// Over a luma sample the background keeps 255 − a of 255 and the offset comes back in the covered
// share; premultiplied colour adds its luma. A full alpha gives FrameConverter's value.
std::uint8_t luma_over(std::uint8_t under, int alpha, int luma) {
    return clamp_byte((under * (255 - alpha) + 16 * alpha + 127) / 255 + luma);
}

// The same for a chroma sample under a 2×2 block (alpha summed, up to 1020).
std::uint8_t chroma_over(std::uint8_t under, int alpha, int chroma) {
    return clamp_byte((under * (1020 - alpha) + 128 * alpha + 510) / 1020 + chroma);
}

void copy_plane(const std::uint8_t* from, int from_stride, std::uint8_t* to, int to_stride, int w, int h) {
    for (int row = 0; row < h; ++row) {
        std::memcpy(to + std::ptrdiff_t(row) * to_stride, from + std::ptrdiff_t(row) * from_stride,
                    std::size_t(w));
    }
}

}  // namespace

YuvView YuvView::region(int x, int y_, int w, int h) const {
    YuvView r = *this;
    r.y = y + std::ptrdiff_t(y_) * y_stride + x;
    r.u = u + std::ptrdiff_t(y_ / 2) * u_stride + x / 2;
    r.v = v + std::ptrdiff_t(y_ / 2) * v_stride + x / 2;
    r.width = w;
    r.height = h;
    return r;
}

YuvImage::YuvImage(int width, int height) {
    const int chroma_w = width / 2, chroma_h = height / 2;
    const std::size_t luma = std::size_t(width) * std::size_t(height);
    const std::size_t chroma = std::size_t(chroma_w) * std::size_t(chroma_h);
    pixels_.resize(luma + 2 * chroma);
    view_ = {pixels_.data(),
             pixels_.data() + luma,
             pixels_.data() + luma + chroma,
             width,
             chroma_w,
             chroma_w,
             width,
             height};
}

void copy_yuv(const YuvView& from, const YuvView& to) {
    copy_plane(from.y, from.y_stride, to.y, to.y_stride, from.width, from.height);
    copy_plane(from.u, from.u_stride, to.u, to.u_stride, from.width / 2, from.height / 2);
    copy_plane(from.v, from.v_stride, to.v, to.v_stride, from.width / 2, from.height / 2);
}

YuvOverlay::YuvOverlay(const Bitmap& argb, bool bt709) : width_(argb.width()), height_(argb.height()) {
    const Matrix& m = bt709 ? detail::kBt709 : detail::kBt601;
    const std::size_t blocks = std::size_t(width_ / 2) * std::size_t(height_ / 2);
    alpha_.resize(std::size_t(width_) * std::size_t(height_));
    luma_.resize(alpha_.size());
    block_alpha_.resize(blocks);
    chroma_u_.resize(blocks);
    chroma_v_.resize(blocks);
    for (int row = 0; row + 1 < height_; row += 2) {
        for (int x = 0; x + 1 < width_; x += 2) {
            Channels sum;
            for (auto [dx, dy] : {std::pair{0, 0}, {1, 0}, {0, 1}, {1, 1}}) {
                const Channels c = channels(argb.row(row + dy)[x + dx]);
                const std::size_t i = std::size_t(row + dy) * std::size_t(width_) + std::size_t(x + dx);
                alpha_[i] = std::uint8_t(c.a);
                luma_[i] = std::uint8_t((m.yr * c.r + m.yg * c.g + m.yb * c.b + 128) >> 8);
                sum = {sum.r + c.r, sum.g + c.g, sum.b + c.b, sum.a + c.a};
            }
            const std::size_t block = std::size_t(row / 2) * std::size_t(width_ / 2) + std::size_t(x / 2);
            block_alpha_[block] = std::uint16_t(sum.a);
            chroma_u_[block] = std::int16_t((m.ur * sum.r + m.ug * sum.g + m.ub * sum.b + 512) >> 10);
            chroma_v_[block] = std::int16_t((m.vr * sum.r + m.vg * sum.g + m.vb * sum.b + 512) >> 10);
        }
    }
}

void YuvOverlay::draw_over(const YuvView& t) const {
    const std::size_t half = std::size_t(width_ / 2);
    for (int row = 0; row + 1 < height_; row += 2) {
        const std::size_t top = std::size_t(row) * std::size_t(width_), bottom = top + std::size_t(width_);
        const std::size_t blocks = std::size_t(row / 2) * half;
        std::uint8_t* y0 = t.y + std::ptrdiff_t(row) * t.y_stride;
        std::uint8_t* y1 = y0 + t.y_stride;
        std::uint8_t* u = t.u + std::ptrdiff_t(row / 2) * t.u_stride;
        std::uint8_t* v = t.v + std::ptrdiff_t(row / 2) * t.v_stride;
        for (std::size_t bx = 0; bx < half; ++bx) {
            const int alpha = block_alpha_[blocks + bx];
            if (alpha == 0) continue;  // transparent: premultiplied colour is zero too
            for (std::size_t x = 2 * bx; x < 2 * bx + 2; ++x) {
                y0[x] = luma_over(y0[x], alpha_[top + x], luma_[top + x]);
                y1[x] = luma_over(y1[x], alpha_[bottom + x], luma_[bottom + x]);
            }
            u[bx] = chroma_over(u[bx], alpha, chroma_u_[blocks + bx]);
            v[bx] = chroma_over(v[bx], alpha, chroma_v_[blocks + bx]);
        }
    }
}

void blend_argb(const Bitmap& overlay, const YuvView& target, bool bt709) {
    YuvOverlay(overlay, bt709).draw_over(target);
}

}  // namespace vidgen::media
