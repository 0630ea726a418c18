#include "render/detail/text_blur.hpp"

#include <cmath>
#include <cstdint>
#include <vector>

namespace vidgen::render::detail {
namespace {

constexpr int kPasses = 3;

// Three box passes of width 2r+1 give a Gaussian of σ² = r(r+1); σ = blur/2 makes r ≈ blur/2.
int box_radius(double blur) {
    return blur > 0 ? std::max(1, static_cast<int>(std::lround(blur / 2))) : 0;
}

// One box blur of radius r along a line of n pixels `step` bytes apart, through `scratch`.
void blur_line(std::uint8_t* line, int n, std::ptrdiff_t step, int r, std::vector<std::uint8_t>& scratch) {
    scratch.resize(std::size_t(n) * 4);
    for (int i = 0; i < n; ++i) {
        for (int c = 0; c < 4; ++c) scratch[std::size_t(i) * 4 + c] = line[i * step + c];
    }
    const int window = 2 * r + 1;
    for (int c = 0; c < 4; ++c) {
        int sum = 0;
        for (int i = 0; i < std::min(r, n); ++i) sum += scratch[std::size_t(i) * 4 + c];
        for (int i = 0; i < n; ++i) {
            if (i + r < n) sum += scratch[std::size_t(i + r) * 4 + c];
            if (i - r - 1 >= 0) sum -= scratch[std::size_t(i - r - 1) * 4 + c];
            line[i * step + c] = static_cast<std::uint8_t>((sum + window / 2) / window);
        }
    }
}

}  // namespace

int blur_extent(double blur) {
    return kPasses * box_radius(blur);
}

void blur_bitmap(media::Bitmap& bitmap, double blur) {
    int r = box_radius(blur);
    if (r == 0 || bitmap.empty()) return;
    std::vector<std::uint8_t> scratch;
    const int w = bitmap.width();
    const int h = bitmap.height();
    for (int pass = 0; pass < kPasses; ++pass) {
        for (int y = 0; y < h; ++y)
            blur_line(bitmap.data() + std::size_t(y) * bitmap.stride(), w, 4, r, scratch);
        for (int x = 0; x < w; ++x)
            blur_line(bitmap.data() + std::size_t(x) * 4, h, bitmap.stride(), r, scratch);
    }
}

}  // namespace vidgen::render::detail
