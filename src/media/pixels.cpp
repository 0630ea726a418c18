#include "media/detail/pixels.hpp"
#include <algorithm>

namespace vidgen::media::detail {
namespace {

inline std::uint32_t mul_div255(std::uint32_t c, std::uint32_t a) {
    const std::uint32_t t = c * a + 128;
    return (t + (t >> 8)) >> 8;
}

inline std::uint32_t premultiplied_pixel(std::uint32_t r, std::uint32_t g, std::uint32_t b, std::uint32_t a) {
    return (a << 24) | (mul_div255(r, a) << 16) | (mul_div255(g, a) << 8) | mul_div255(b, a);
}

inline std::uint8_t unpremultiply(std::uint32_t c, std::uint32_t a) {
    return a == 0 ? 0 : std::uint8_t(std::min<std::uint32_t>(255, (c * 255 + a / 2) / a));
}

}  // namespace

void rgba_to_premultiplied(const std::uint8_t* rgba, Bitmap& out) {
    for (int y = 0; y < out.height(); ++y) {
        std::uint32_t* row = out.row(y);
        const std::uint8_t* src = rgba + std::size_t(y) * out.stride();
        for (int x = 0; x < out.width(); ++x, src += 4) {
            row[x] = premultiplied_pixel(src[0], src[1], src[2], src[3]);
        }
    }
}

void premultiplied_to_rgba(const Bitmap& bitmap, std::uint8_t* rgba) {
    for (int y = 0; y < bitmap.height(); ++y) {
        const std::uint32_t* row = bitmap.row(y);
        std::uint8_t* dst = rgba + std::size_t(y) * bitmap.stride();
        for (int x = 0; x < bitmap.width(); ++x, dst += 4) {
            const std::uint32_t p = row[x];
            const std::uint32_t a = p >> 24;
            dst[0] = unpremultiply((p >> 16) & 0xFF, a);
            dst[1] = unpremultiply((p >> 8) & 0xFF, a);
            dst[2] = unpremultiply(p & 0xFF, a);
            dst[3] = std::uint8_t(a);
        }
    }
}

void premultiply_in_place(Bitmap& bitmap) {
    for (int y = 0; y < bitmap.height(); ++y) {
        std::uint32_t* row = bitmap.row(y);
        for (int x = 0; x < bitmap.width(); ++x) {
            const std::uint32_t p = row[x];
            const std::uint32_t a = p >> 24;
            if (a != 255) row[x] = premultiplied_pixel((p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF, a);
        }
    }
}

Bitmap rotate_clockwise(const Bitmap& source, int degrees) {
    if (degrees != 90 && degrees != 180 && degrees != 270) return source.clone();
    const bool quarter = degrees != 180;
    Bitmap out(quarter ? source.height() : source.width(), quarter ? source.width() : source.height());
    const int w = source.width();
    const int h = source.height();
    for (int y = 0; y < h; ++y) {
        const std::uint32_t* row = source.row(y);
        for (int x = 0; x < w; ++x) {
            if (degrees == 90) {
                out.row(x)[h - 1 - y] = row[x];
            } else if (degrees == 270) {
                out.row(w - 1 - x)[y] = row[x];
            } else {
                out.row(h - 1 - y)[w - 1 - x] = row[x];
            }
        }
    }
    return out;
}

}  // namespace vidgen::media::detail
