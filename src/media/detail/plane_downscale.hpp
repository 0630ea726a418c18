// Downscaling one 8-bit plane by the ratios renders meet most, each output sample the mean of the source
// area it covers (what swscale's SWS_AREA computes), two to five times faster than swscale's general
// filters: 3:2 (1080 → 720 lines, 2160 → 1440) and n:1 for whole n from 2 to 8 (1080 → 540, a 1080p
// picture-in-picture at 320 × 180). Internal to the media module; thread-safe (scratch rows are per thread).
#pragma once

#include <cstdint>

namespace vidgen::media::detail {

struct PlaneIn {
    const std::uint8_t* data = nullptr;
    int stride = 0, width = 0, height = 0;
};

struct PlaneOut {
    std::uint8_t* data = nullptr;
    int stride = 0, width = 0, height = 0;
};

// Whether downscale_plane takes width × height to out_w × out_h: the same ratio, 3:2 or n:1, both ways.
bool downscales_fast(int width, int height, int out_w, int out_h);

// Scales `in` to `out`'s size; only for sizes downscales_fast accepts.
void downscale_plane(const PlaneIn& in, const PlaneOut& out);

}  // namespace vidgen::media::detail
