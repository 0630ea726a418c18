#include "media/detail/frame_scaling.hpp"

extern "C" {
#include <libavutil/pixdesc.h>
}

#include "media/detail/frames.hpp"
#include "media/detail/pixels.hpp"
#include "media/detail/plane_downscale.hpp"

namespace vidgen::media::detail {

Result<SwsContext*> ScalerSet::get(const AVFrame* frame, int width, int height, AVPixelFormat format) {
    const Key key{frame->width,
                  frame->height,
                  frame->format,
                  source_is_bt709(frame) ? 1 : 0,
                  frame->color_range == AVCOL_RANGE_JPEG ? 1 : 0,
                  width,
                  height,
                  int(format)};
    for (Slot& slot : slots_) {
        if (slot.sws && slot.key == key) return slot.sws.get();
    }
    Slot& slot = slots_[next_];
    next_ = (next_ + 1) % slots_.size();
    slot.sws.reset(sws_getContext(frame->width, frame->height, AVPixelFormat(frame->format), width, height,
                                  format, SWS_BILINEAR, nullptr, nullptr, nullptr));
    if (!slot.sws) return fail(Code::unsupported, "cannot convert this video's pixel format");
    slot.key = key;
    const int* coefficients = sws_getCoefficients(key.space ? SWS_CS_ITU709 : SWS_CS_ITU601);
    const int target_range = format == AV_PIX_FMT_YUV420P ? 0 : 1;  // limited YUV, full-range RGB
    sws_setColorspaceDetails(slot.sws.get(), coefficients, key.range, coefficients, target_range, 0, 1 << 16,
                             1 << 16);
    return slot.sws.get();
}

bool source_is_bt709(const AVFrame* frame) {
    return frame->colorspace == AVCOL_SPC_BT709 ||
           (frame->colorspace == AVCOL_SPC_UNSPECIFIED && frame->height >= 720);
}

Result<void> convert_frame(const AVFrame* frame, int width, int height, int rotation, ScalerSet& scalers,
                           Bitmap& into) {
    const bool quarter = rotation == 90 || rotation == 270;
    const int scaled_w = quarter ? height : width;
    const int scaled_h = quarter ? width : height;
    auto sws = scalers.get(frame, scaled_w, scaled_h, kArgb32);
    if (!sws) return std::unexpected(sws.error());
    Bitmap rotated_source;
    if (rotation == 0 && (into.width() != scaled_w || into.height() != scaled_h))
        into = Bitmap(scaled_w, scaled_h);
    Bitmap& scaled = rotation == 0 ? into : (rotated_source = Bitmap(scaled_w, scaled_h));
    std::uint8_t* dst[4] = {scaled.data(), nullptr, nullptr, nullptr};
    const int dst_stride[4] = {scaled.stride(), 0, 0, 0};
    sws_scale(*sws, frame->data, frame->linesize, 0, frame->height, dst, dst_stride);
    const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(AVPixelFormat(frame->format));
    if (desc && (desc->flags & AV_PIX_FMT_FLAG_ALPHA)) premultiply_in_place(scaled);
    if (rotation != 0) into = rotate_clockwise(scaled, rotation);
    return {};
}

bool scales_to_yuv420(const AVFrame* frame, bool bt709) {
    const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(AVPixelFormat(frame->format));
    constexpr auto kNotPlainYuv =
        AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_ALPHA | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_HWACCEL;
    return desc && !(desc->flags & kNotPlainYuv) && desc->nb_components == 3 &&
           frame->color_range != AVCOL_RANGE_JPEG && source_is_bt709(frame) == bt709;
}

namespace {

// Plane `p`'s width (or height) in a 4:2:0 picture `size` pixels wide (or high): p 0 is Y, 1 and 2 U and V.
int plane_size(int size, int p) {
    return p == 0 ? size : (size + 1) / 2;
}

// 8-bit 4:2:0 whose planes all shrink by a ratio downscale_plane takes (U and V have the same size).
bool planes_downscale_fast(const AVFrame* frame, const YuvView& into) {
    if (frame->format != AV_PIX_FMT_YUV420P) return false;
    for (int p = 0; p < 2; ++p) {
        if (!downscales_fast(plane_size(frame->width, p), plane_size(frame->height, p),
                             plane_size(into.width, p), plane_size(into.height, p)))
            return false;
    }
    return true;
}

}  // namespace

Result<void> scale_to_yuv420(const AVFrame* frame, ScalerSet& scalers, const YuvView& into) {
    if (planes_downscale_fast(frame, into)) {
        std::uint8_t* planes[3] = {into.y, into.u, into.v};
        const int strides[3] = {into.y_stride, into.u_stride, into.v_stride};
        for (int p = 0; p < 3; ++p) {
            downscale_plane({frame->data[p], frame->linesize[p], plane_size(frame->width, p),
                             plane_size(frame->height, p)},
                            {planes[p], strides[p], plane_size(into.width, p), plane_size(into.height, p)});
        }
        return {};
    }
    auto sws = scalers.get(frame, into.width, into.height, AV_PIX_FMT_YUV420P);
    if (!sws) return std::unexpected(sws.error());
    std::uint8_t* dst[4] = {into.y, into.u, into.v, nullptr};
    const int dst_stride[4] = {into.y_stride, into.u_stride, into.v_stride, 0};
    sws_scale(*sws, frame->data, frame->linesize, 0, frame->height, dst, dst_stride);
    return {};
}

}  // namespace vidgen::media::detail
