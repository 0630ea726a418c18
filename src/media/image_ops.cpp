#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "media/detail/pixels.hpp"
#include "media/detail/vips.hpp"
#include "media/image.hpp"

namespace vidgen::media {
namespace {

using detail::VipsImagePtr;

std::string lower_extension(const std::filesystem::path& path) {
    std::string ext = path.extension().string();
    for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

int save_by_extension(VipsImage* image, const std::string& ext, const char* path, int quality) {
    if (ext == ".png") return vips_pngsave(image, path, nullptr);
    if (ext == ".webp") return vips_webpsave(image, path, "Q", quality, nullptr);
    VipsImage* flat = nullptr;
    const double white[3] = {255, 255, 255};
    VipsArrayDouble* background = vips_array_double_new(white, 3);
    int status = vips_flatten(image, &flat, "background", background, nullptr);
    vips_area_unref(VIPS_AREA(background));
    if (status != 0) return status;
    VipsImagePtr owned(flat);
    return vips_jpegsave(owned.get(), path, "Q", quality, nullptr);
}

}  // namespace

Bitmap blur(const Bitmap& source, double sigma) {
    if (source.empty() || sigma <= 0 || !init_images()) return source.clone();
    VipsImagePtr in(vips_image_new_from_memory(source.data(), std::size_t(source.stride()) * source.height(),
                                               source.width(), source.height(), 4, VIPS_FORMAT_UCHAR));
    VipsImage* out = nullptr;
    if (!in || vips_gaussblur(in.get(), &out, sigma, nullptr) != 0) {
        detail::take_vips_error();
        return source.clone();
    }
    VipsImagePtr blurred(out);
    std::size_t size = 0;
    void* memory = vips_image_write_to_memory(blurred.get(), &size);
    if (!memory || size != std::size_t(source.stride()) * source.height()) {
        g_free(memory);
        detail::take_vips_error();
        return source.clone();
    }
    Bitmap result(source.width(), source.height());
    std::memcpy(result.data(), memory, size);
    g_free(memory);
    return result;
}

Result<void> save_image(const Bitmap& bitmap, const std::filesystem::path& path, int quality) {
    if (auto ok = init_images(); !ok) return ok;
    if (bitmap.empty()) return fail(Code::invalid_argument, "cannot save an empty image");
    const std::string ext = lower_extension(path);
    if (ext != ".png" && ext != ".jpg" && ext != ".jpeg" && ext != ".webp") {
        return fail(Code::unsupported, fmt::format("cannot save images as '{}'", ext));
    }
    std::vector<std::uint8_t> rgba(std::size_t(bitmap.stride()) * bitmap.height());
    detail::premultiplied_to_rgba(bitmap, rgba.data());
    VipsImagePtr image(vips_image_new_from_memory(rgba.data(), rgba.size(), bitmap.width(), bitmap.height(),
                                                  4, VIPS_FORMAT_UCHAR));
    if (!image) return fail(Code::internal, detail::take_vips_error());
    image->Type = VIPS_INTERPRETATION_sRGB;
    if (save_by_extension(image.get(), ext, path.c_str(), std::clamp(quality, 1, 100)) != 0) {
        return fail(Code::io, fmt::format("saving {}: {}", path.string(), detail::take_vips_error()));
    }
    return {};
}

}  // namespace vidgen::media
