#include "media/detail/argb_to_yuv.hpp"

#include <emmintrin.h>

#include "media/detail/yuv_matrix.hpp"

namespace vidgen::media::detail {
namespace {

inline int red(std::uint32_t p) {
    return int(p >> 16 & 0xFF);
}
inline int green(std::uint32_t p) {
    return int(p >> 8 & 0xFF);
}
inline int blue(std::uint32_t p) {
    return int(p & 0xFF);
}

inline std::uint8_t luma(const Matrix& m, std::uint32_t p) {
    return std::uint8_t(((m.yr * red(p) + m.yg * green(p) + m.yb * blue(p) + 128) >> 8) + 16);
}

// Chroma of the 2×2 block whose top-left pixel is top[x] (sums of four pixels carry two more bits).
inline void chroma(const Matrix& m, const std::uint32_t* top, const std::uint32_t* bottom, int x,
                   std::uint8_t& u, std::uint8_t& v) {
    const std::uint32_t a = top[x], b = top[x + 1], c = bottom[x], d = bottom[x + 1];
    const int r = red(a) + red(b) + red(c) + red(d);
    const int g = green(a) + green(b) + green(c) + green(d);
    const int bl = blue(a) + blue(b) + blue(c) + blue(d);
    u = std::uint8_t(((m.ur * r + m.ug * g + m.ub * bl + 512) >> 10) + 128);
    v = std::uint8_t(((m.vr * r + m.vg * g + m.vb * bl + 512) >> 10) + 128);
}

void scalar_span(const Matrix& m, const std::uint32_t* top, const std::uint32_t* bottom, int from, int to,
                 std::uint8_t* y0, std::uint8_t* y1, std::uint8_t* u, std::uint8_t* v) {
    for (int x = from; x < to; x += 2) {
        y0[x] = luma(m, top[x]);
        y0[x + 1] = luma(m, top[x + 1]);
        y1[x] = luma(m, bottom[x]);
        y1[x + 1] = luma(m, bottom[x + 1]);
        chroma(m, top, bottom, x, u[x / 2], v[x / 2]);
    }
}

// (b·cb + g·cg + r·cr) for four pixels held as 16-bit B,G,R,A lanes in `lo` (pixels 0,1) and `hi` (2,3).
inline __m128i dot4(__m128i lo, __m128i hi, __m128i coef) {
    __m128i a = _mm_madd_epi16(lo, coef);  // [b0·cb+g0·cg, r0·cr, b1·cb+g1·cg, r1·cr]
    __m128i b = _mm_madd_epi16(hi, coef);
    a = _mm_add_epi32(a, _mm_shuffle_epi32(a, _MM_SHUFFLE(2, 3, 0, 1)));  // [s0, s0, s1, s1]
    b = _mm_add_epi32(b, _mm_shuffle_epi32(b, _MM_SHUFFLE(2, 3, 0, 1)));
    a = _mm_shuffle_epi32(a, _MM_SHUFFLE(3, 1, 2, 0));  // [s0, s1, ., .]
    b = _mm_shuffle_epi32(b, _MM_SHUFFLE(3, 1, 2, 0));
    return _mm_unpacklo_epi64(a, b);  // [s0, s1, s2, s3]
}

inline __m128i coefficients(int r, int g, int b) {
    return _mm_set_epi16(0, short(r), short(g), short(b), 0, short(r), short(g), short(b));
}

// Luma of 16 pixels at p into out.
inline void luma16(const std::uint32_t* p, std::uint8_t* out, __m128i coef) {
    const __m128i zero = _mm_setzero_si128(), round = _mm_set1_epi32(128), offset = _mm_set1_epi16(16);
    __m128i words[2];
    for (std::ptrdiff_t half = 0; half < 2; ++half) {
        __m128i sums[2];
        for (std::ptrdiff_t quarter = 0; quarter < 2; ++quarter) {
            __m128i px = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 8 * half + 4 * quarter));
            __m128i s = dot4(_mm_unpacklo_epi8(px, zero), _mm_unpackhi_epi8(px, zero), coef);
            sums[quarter] = _mm_srai_epi32(_mm_add_epi32(s, round), 8);
        }
        words[half] = _mm_add_epi16(_mm_packs_epi32(sums[0], sums[1]), offset);
    }
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm_packus_epi16(words[0], words[1]));
}

// Sums of the 2×2 blocks of 4 pixels in each row (pixels x..x+3), as 16-bit B,G,R,A lanes: block 0 in the
// low half, block 1 in the high half of the result.
inline __m128i block_sums(const std::uint32_t* top, const std::uint32_t* bottom) {
    const __m128i zero = _mm_setzero_si128();
    __m128i t = _mm_loadu_si128(reinterpret_cast<const __m128i*>(top));
    __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bottom));
    __m128i lo = _mm_add_epi16(_mm_unpacklo_epi8(t, zero), _mm_unpacklo_epi8(b, zero));  // pixels 0,1
    __m128i hi = _mm_add_epi16(_mm_unpackhi_epi8(t, zero), _mm_unpackhi_epi8(b, zero));  // pixels 2,3
    __m128i lo_pairs = _mm_add_epi16(lo, _mm_srli_si128(lo, 8));  // block 0 in the low 64 bits
    __m128i hi_pairs = _mm_add_epi16(hi, _mm_srli_si128(hi, 8));  // block 1 in the low 64 bits
    return _mm_unpacklo_epi64(lo_pairs, hi_pairs);
}

// Chroma of 8 blocks (16 pixels of two rows) into u[0..7] and v[0..7].
inline void chroma16(const std::uint32_t* top, const std::uint32_t* bottom, std::uint8_t* u, std::uint8_t* v,
                     __m128i ucoef, __m128i vcoef) {
    const __m128i round = _mm_set1_epi32(512), offset = _mm_set1_epi16(128);
    __m128i blocks[4];
    for (std::ptrdiff_t i = 0; i < 4; ++i) blocks[i] = block_sums(top + 4 * i, bottom + 4 * i);
    __m128i us[2], vs[2];
    for (std::ptrdiff_t half = 0; half < 2; ++half) {
        __m128i su = dot4(blocks[2 * half], blocks[2 * half + 1], ucoef);
        __m128i sv = dot4(blocks[2 * half], blocks[2 * half + 1], vcoef);
        us[half] = _mm_srai_epi32(_mm_add_epi32(su, round), 10);
        vs[half] = _mm_srai_epi32(_mm_add_epi32(sv, round), 10);
    }
    __m128i uw = _mm_add_epi16(_mm_packs_epi32(us[0], us[1]), offset);
    __m128i vw = _mm_add_epi16(_mm_packs_epi32(vs[0], vs[1]), offset);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(u), _mm_packus_epi16(uw, uw));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(v), _mm_packus_epi16(vw, vw));
}

const std::uint32_t* row_of(const std::uint8_t* argb, int stride, int row) {
    return reinterpret_cast<const std::uint32_t*>(argb + std::ptrdiff_t(row) * stride);
}

}  // namespace

void argb_to_yuv420_scalar(const std::uint8_t* argb, int argb_stride, int width, int height, bool bt709,
                           const YuvPlanes& out) {
    const Matrix& m = bt709 ? kBt709 : kBt601;
    for (int row = 0; row < height; row += 2) {
        scalar_span(
            m, row_of(argb, argb_stride, row), row_of(argb, argb_stride, row + 1), 0, width,
            out.y + std::ptrdiff_t(row) * out.y_stride, out.y + std::ptrdiff_t(row + 1) * out.y_stride,
            out.u + std::ptrdiff_t(row / 2) * out.u_stride, out.v + std::ptrdiff_t(row / 2) * out.v_stride);
    }
}

void argb_to_yuv420(const std::uint8_t* argb, int argb_stride, int width, int height, bool bt709,
                    const YuvPlanes& out) {
    const Matrix& m = bt709 ? kBt709 : kBt601;
    const __m128i ycoef = coefficients(m.yr, m.yg, m.yb);
    const __m128i ucoef = coefficients(m.ur, m.ug, m.ub), vcoef = coefficients(m.vr, m.vg, m.vb);
    const int simd_width = width - width % 16;
    for (int row = 0; row < height; row += 2) {
        const std::uint32_t* top = row_of(argb, argb_stride, row);
        const std::uint32_t* bottom = row_of(argb, argb_stride, row + 1);
        std::uint8_t* y0 = out.y + std::ptrdiff_t(row) * out.y_stride;
        std::uint8_t* y1 = y0 + out.y_stride;
        std::uint8_t* u = out.u + std::ptrdiff_t(row / 2) * out.u_stride;
        std::uint8_t* v = out.v + std::ptrdiff_t(row / 2) * out.v_stride;
        for (int x = 0; x < simd_width; x += 16) {
            luma16(top + x, y0 + x, ycoef);
            luma16(bottom + x, y1 + x, ycoef);
            chroma16(top + x, bottom + x, u + x / 2, v + x / 2, ucoef, vcoef);
        }
        scalar_span(m, top, bottom, simd_width, width, y0, y1, u, v);
    }
}

}  // namespace vidgen::media::detail
