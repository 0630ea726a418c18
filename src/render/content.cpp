#include "render/content.hpp"

#include "render/plan.hpp"
#include "render/shape.hpp"

namespace vidgen::render {

TextRequest text_request(const PlannedClip& clip, const std::filesystem::path& base_dir, int frame_w,
                         int frame_h, const spec::Color& color) {
    TextRequest request;
    request.text = &std::get<spec::TextAsset>(clip.clip->asset);
    request.pointer = clip.clip->pointer;
    request.base_dir = base_dir;
    request.frame_width = frame_w;
    request.frame_height = frame_h;
    request.box_width = clip.text_box_w;
    request.box_height = clip.text_box_h;
    request.color = color;
    return request;
}

Rect text_rect(const TextRaster& raster) {
    return {-raster.origin_x, -raster.origin_y, double(raster.bitmap.width()),
            double(raster.bitmap.height())};
}

Content shape_content(const PlannedClip& clip, const spec::Color& fill) {
    const auto& shape = std::get<spec::ShapeAsset>(clip.clip->asset);
    auto bitmap = rasterize_shape(shape, clip.box_w, clip.box_h, clip.clip->layout.radius, fill);
    Rect rect{0, 0, double(bitmap.width()), double(bitmap.height())};
    return {std::make_shared<const media::Bitmap>(std::move(bitmap)), rect};
}

Result<Content> generated_content(const PlannedClip& clip, const std::filesystem::path& base_dir, int frame_w,
                                  int frame_h, const spec::Color& color) {
    if (clip.kind == ClipKind::shape) return shape_content(clip, color);
    auto raster = rasterize_text(text_request(clip, base_dir, frame_w, frame_h, color));
    if (!raster) return std::unexpected(raster.error());
    Rect rect = text_rect(*raster);
    return Content{std::make_shared<const media::Bitmap>(std::move(raster->bitmap)), rect};
}

}  // namespace vidgen::render
