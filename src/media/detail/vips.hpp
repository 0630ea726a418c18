// RAII owner for VipsImage (a GObject) and the libvips error text. Internal to the media module.
#pragma once

#include <memory>
#include <string>

#include <vips/vips.h>

namespace vidgen::media::detail {

struct VipsImageDeleter {
    void operator()(VipsImage* image) const {
        if (image) g_object_unref(image);
    }
};
using VipsImagePtr = std::unique_ptr<VipsImage, VipsImageDeleter>;

// The pending libvips error message (cleared after reading), trimmed of its trailing newline.
inline std::string take_vips_error() {
    std::string text = vips_error_buffer();
    vips_error_clear();
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
}

}  // namespace vidgen::media::detail
