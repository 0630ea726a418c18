#include "media/image.hpp"

#include <array>
#include <cstring>
#include <mutex>
#include <string_view>

#include <fmt/format.h>

#include "media/detail/pixels.hpp"
#include "media/detail/vips.hpp"

namespace vidgen::media {
namespace {

using detail::VipsImagePtr;

// The loader class libvips picks by sniffing the bytes, mapped to the formats we accept.
Result<std::string> accepted_format(const std::filesystem::path& path) {
    const char* loader = vips_foreign_find_load(path.c_str());
    if (!loader) {
        detail::take_vips_error();
        return fail(Code::unsupported,
                    fmt::format("{} is not an image in a supported format", path.string()));
    }
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kAccepted{{
        {"VipsForeignLoadJpegFile", "jpeg"},
        {"VipsForeignLoadPngFile", "png"},
        {"VipsForeignLoadWebpFile", "webp"},
        {"VipsForeignLoadHeifFile", "heif"},
        {"VipsForeignLoadNsgifFile", "gif"},
    }};
    for (const auto& [name, format] : kAccepted) {
        if (name == loader) return std::string(format);
    }
    return fail(Code::unsupported, fmt::format("{}: image loader {} is not allowed", path.string(), loader));
}

// True when the EXIF orientation (5 to 8) turns the image a quarter: load_image returns it upright.
bool quarter_turned(VipsImage* image) {
    int orientation = 1;
    if (vips_image_get_typeof(image, VIPS_META_ORIENTATION) == 0) return false;
    if (vips_image_get_int(image, VIPS_META_ORIENTATION, &orientation) != 0) return false;
    return orientation >= 5 && orientation <= 8;
}

Result<VipsImagePtr> vips_result(VipsImage* image, int status, std::string_view what) {
    VipsImagePtr owned(image);
    if (status != 0 || !owned) return fail(Code::io, fmt::format("{}: {}", what, detail::take_vips_error()));
    return owned;
}

// sRGB, 8-bit, with an alpha band: the layout pack_premultiplied expects.
Result<VipsImagePtr> to_srgb_alpha(VipsImagePtr image) {
    VipsImage* out = nullptr;
    if (vips_image_guess_interpretation(image.get()) != VIPS_INTERPRETATION_sRGB) {
        auto done = vips_result(out, vips_colourspace(image.get(), &out, VIPS_INTERPRETATION_sRGB, nullptr),
                                "colour conversion");
        if (!done) return done;
        image = std::move(*done);
    }
    if (image->BandFmt != VIPS_FORMAT_UCHAR) {
        auto done = vips_result(out, vips_cast_uchar(image.get(), &out, nullptr), "cast");
        if (!done) return done;
        image = std::move(*done);
    }
    if (image->Bands == 3) {
        auto done = vips_result(out, vips_addalpha(image.get(), &out, nullptr), "alpha");
        if (!done) return done;
        image = std::move(*done);
    } else if (image->Bands != 4) {
        return fail(Code::unsupported, fmt::format("images with {} bands are not supported", image->Bands));
    }
    return image;
}

// The pixels written straight into the bitmap, then premultiplied where they lie: no second copy of the
// image in memory while it is decoded.
Result<Bitmap> pack(VipsImage* image) {
    Bitmap bitmap(image->Xsize, image->Ysize);
    const std::size_t size = std::size_t(bitmap.stride()) * std::size_t(bitmap.height());
    VipsImagePtr target(
        vips_image_new_from_memory(bitmap.data(), size, image->Xsize, image->Ysize, 4, VIPS_FORMAT_UCHAR));
    if (!target || vips_image_write(image, target.get()) != 0)
        return fail(Code::io, fmt::format("image decode: {}", detail::take_vips_error()));
    detail::rgba_to_premultiplied(bitmap.data(), bitmap);
    return bitmap;
}

}  // namespace

Result<void> init_images() {
    static std::once_flag once;
    static int status = 0;
    std::call_once(once, [] {
        status = VIPS_INIT("vidgen");
        if (status == 0) vips_block_untrusted_set(TRUE);
    });
    if (status != 0) return fail(Code::internal, fmt::format("libvips: {}", detail::take_vips_error()));
    return {};
}

Result<ImageInfo> probe_image(const std::filesystem::path& path, const InputLimits& limits) {
    if (auto ok = init_images(); !ok) return std::unexpected(ok.error());
    if (auto file = check_local_file(path, limits); !file) return std::unexpected(file.error());
    auto format = accepted_format(path);
    if (!format) return std::unexpected(format.error());
    VipsImagePtr header(vips_image_new_from_file(path.c_str(), "access", VIPS_ACCESS_SEQUENTIAL, nullptr));
    if (!header) return fail(Code::io, fmt::format("{}: {}", path.string(), detail::take_vips_error()));
    ImageInfo info{header->Xsize, header->Ysize, vips_image_hasalpha(header.get()) != 0, *format};
    if (quarter_turned(header.get())) std::swap(info.width, info.height);  // report the upright size
    const auto pixels = std::uint64_t(info.width) * std::uint64_t(info.height);
    if (info.width > limits.max_image_side || info.height > limits.max_image_side ||
        pixels > limits.max_image_pixels) {
        return fail(Code::limit_exceeded, fmt::format("{} is {}x{}, over the image limits", path.string(),
                                                      info.width, info.height));
    }
    return info;
}

Result<Bitmap> load_image(const std::filesystem::path& path, int width, int height,
                          const InputLimits& limits) {
    if (width <= 0 || height <= 0 || width > limits.max_image_side || height > limits.max_image_side) {
        return fail(Code::invalid_argument, fmt::format("bad image target size {}x{}", width, height));
    }
    auto info = probe_image(path, limits);
    if (!info) return std::unexpected(info.error());
    VipsImage* out = nullptr;
    auto thumb = vips_result(
        out, vips_thumbnail(path.c_str(), &out, width, "height", height, "size", VIPS_SIZE_FORCE, nullptr),
        path.string());
    if (!thumb) return std::unexpected(thumb.error());
    auto srgb = to_srgb_alpha(std::move(*thumb));
    if (!srgb) return std::unexpected(srgb.error());
    return pack(srgb->get());
}

}  // namespace vidgen::media
