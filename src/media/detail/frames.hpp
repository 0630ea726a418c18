// What sits behind VideoFrame, and the colour tagging shared by FrameConverter and the encoder.
// Internal to the media module.
#pragma once

#include "media/detail/av.hpp"
#include "media/encoder.hpp"

namespace vidgen::media {

struct VideoFrame::Impl {
    detail::FramePtr frame;
};

namespace detail {

// The colour description of encoded video: BT.709 for 720 lines and up, BT.601 (SMPTE 170M) below,
// limited range either way.
struct ColourTags {
    AVColorPrimaries primaries;
    AVColorTransferCharacteristic transfer;
    AVColorSpace space;
    AVColorRange range = AVCOL_RANGE_MPEG;
    int sws_coefficients;  // SWS_CS_* for swscale
};

inline ColourTags colour_tags(int height) {
    if (height >= 720)
        return {AVCOL_PRI_BT709, AVCOL_TRC_BT709, AVCOL_SPC_BT709, AVCOL_RANGE_MPEG, SWS_CS_ITU709};
    return {AVCOL_PRI_SMPTE170M, AVCOL_TRC_SMPTE170M, AVCOL_SPC_SMPTE170M, AVCOL_RANGE_MPEG, SWS_CS_ITU601};
}

// Cairo's ARGB32 as libav names it (BGRA bytes on little-endian).
inline constexpr AVPixelFormat kArgb32 = AV_PIX_FMT_RGB32;

}  // namespace detail
}  // namespace vidgen::media
