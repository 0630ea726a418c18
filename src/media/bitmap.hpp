// A CPU image in Cairo's ARGB32 layout: 32-bit pixels, premultiplied alpha, native-endian (B,G,R,A bytes
// on little-endian machines), rows `stride` bytes apart with stride = width·4. The render module wraps it
// in a cairo surface without copying. Owns its pixels; movable, not copyable (copy explicitly with clone()).
#pragma once

#include <cstdint>
#include <memory>

namespace vidgen::media {

class Bitmap {
  public:
    Bitmap() = default;
    Bitmap(int width, int height);  // zero-filled (transparent)
    Bitmap(Bitmap&&) noexcept = default;
    Bitmap& operator=(Bitmap&&) noexcept = default;

    int width() const { return width_; }
    int height() const { return height_; }
    int stride() const { return width_ * 4; }
    bool empty() const { return width_ == 0 || height_ == 0; }
    std::uint8_t* data() { return pixels_.get(); }
    const std::uint8_t* data() const { return pixels_.get(); }
    std::uint32_t* row(int y) {
        return reinterpret_cast<std::uint32_t*>(pixels_.get() + std::size_t(y) * stride());
    }
    const std::uint32_t* row(int y) const {
        return reinterpret_cast<const std::uint32_t*>(pixels_.get() + std::size_t(y) * stride());
    }
    Bitmap clone() const;

  private:
    int width_ = 0;
    int height_ = 0;
    std::unique_ptr<std::uint8_t[]> pixels_;
};

}  // namespace vidgen::media
