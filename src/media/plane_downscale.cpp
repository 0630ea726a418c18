#include "media/detail/plane_downscale.hpp"

#include <cstddef>
#include <vector>

namespace vidgen::media::detail {
namespace {

using u8 = std::uint8_t;
using u16 = std::uint16_t;

constexpr int kMaxWhole = 8;  // n × n × 255 stays within 16 bits

// Whole ratio n (> 1) when out × n == in both ways, else 0.
int whole_ratio(int width, int height, int out_w, int out_h) {
    if (out_w <= 0 || out_h <= 0 || width % out_w != 0) return 0;
    const int n = width / out_w;
    return n >= 2 && n <= kMaxWhole && height == out_h * n ? n : 0;
}

bool three_to_two(int width, int height, int out_w, int out_h) {
    return out_w > 0 && out_h > 0 && width * 2 == out_w * 3 && height * 2 == out_h * 3;
}

std::vector<u16>& scratch(std::size_t size) {
    thread_local std::vector<u16> rows;
    if (rows.size() < size) rows.resize(size);
    return rows;
}

// The vertical passes are plain loops over whole rows, which the compiler vectorises; built for AVX2
// too, and the CPU's best version is chosen when the program loads.
__attribute__((target_clones("avx2", "default"))) void sum_rows(const u8* first, int stride, int rows,
                                                                int width, u16* into) {
    for (int x = 0; x < width; ++x) into[x] = first[x];
    for (int k = 1; k < rows; ++k) {
        const u8* row = first + std::ptrdiff_t(k) * stride;
        for (int x = 0; x < width; ++x) into[x] = u16(into[x] + row[x]);
    }
}

__attribute__((target_clones("avx2", "default"))) void weigh_three_rows(const u8* a, int stride, int width,
                                                                        u16* top, u16* bottom) {
    const u8* b = a + stride;
    const u8* c = b + stride;
    for (int x = 0; x < width; ++x) {
        top[x] = u16(2 * a[x] + b[x]);
        bottom[x] = u16(b[x] + 2 * c[x]);
    }
}

// Output pairs from source triples of a row weighted 3 vertically: (2·p0 + p1) / 9 and (p1 + 2·p2) / 9.
__attribute__((target_clones("avx2", "default"))) void three_to_two_row(const u16* in, int out_w, u8* out) {
    for (int k = 0; k < out_w / 2; ++k) {
        out[2 * k] = u8((2 * in[3 * k] + in[3 * k + 1] + 4) / 9);
        out[2 * k + 1] = u8((in[3 * k + 1] + 2 * in[3 * k + 2] + 4) / 9);
    }
}

void downscale_three_to_two(const PlaneIn& in, const PlaneOut& out) {
    std::vector<u16>& rows = scratch(2 * std::size_t(in.width));
    u16* top = rows.data();
    u16* bottom = top + in.width;
    for (int j = 0; j < out.height / 2; ++j) {
        weigh_three_rows(in.data + std::ptrdiff_t(3 * j) * in.stride, in.stride, in.width, top, bottom);
        u8* o = out.data + std::ptrdiff_t(2 * j) * out.stride;
        three_to_two_row(top, out.width, o);
        three_to_two_row(bottom, out.width, o + out.stride);
    }
}

void downscale_whole(const PlaneIn& in, const PlaneOut& out, int n) {
    u16* sums = scratch(std::size_t(in.width)).data();
    const unsigned area = unsigned(n * n);
    for (int oy = 0; oy < out.height; ++oy) {
        sum_rows(in.data + std::ptrdiff_t(oy) * n * in.stride, in.stride, n, in.width, sums);
        u8* o = out.data + std::ptrdiff_t(oy) * out.stride;
        for (int ox = 0; ox < out.width; ++ox) {
            unsigned s = 0;
            for (int k = 0; k < n; ++k) s += sums[ox * n + k];
            o[ox] = u8((s + area / 2) / area);
        }
    }
}

}  // namespace

bool downscales_fast(int width, int height, int out_w, int out_h) {
    return three_to_two(width, height, out_w, out_h) || whole_ratio(width, height, out_w, out_h) != 0;
}

void downscale_plane(const PlaneIn& in, const PlaneOut& out) {
    if (three_to_two(in.width, in.height, out.width, out.height))
        downscale_three_to_two(in, out);
    else if (int n = whole_ratio(in.width, in.height, out.width, out.height); n != 0)
        downscale_whole(in, out, n);
}

}  // namespace vidgen::media::detail
