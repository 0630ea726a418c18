#include "media/bitmap.hpp"

#include <cstring>

namespace vidgen::media {

Bitmap::Bitmap(int width, int height)
    : width_(width),
      height_(height),
      pixels_(std::make_unique<std::uint8_t[]>(std::size_t(width) * std::size_t(height) * 4)) {}

Bitmap Bitmap::clone() const {
    Bitmap copy(width_, height_);
    if (!empty()) std::memcpy(copy.data(), data(), std::size_t(stride()) * std::size_t(height_));
    return copy;
}

}  // namespace vidgen::media
