#include "render/plan_visual.hpp"

#include <cmath>
#include <tuple>

#include <fmt/format.h>

#include "core/hash.hpp"
#include "media/image.hpp"
#include "render/animate.hpp"
#include "render/content.hpp"
#include "render/detail/cairo.hpp"

namespace vidgen::render {
namespace {

int pixels(double v) {
    return std::max(1, static_cast<int>(std::lround(v)));
}

bool layout_animates(const PlannedClip& pc) {
    const spec::Clip& c = *pc.clip;
    const spec::Layout& l = c.layout;
    return l.x.animated() || l.y.animated() || l.scale.animated() || l.rotation.animated() ||
           l.opacity.animated() || c.effect.type != spec::KenBurns::none ||
           c.transition_in.type != spec::TransitionType::none ||
           c.transition_out.type != spec::TransitionType::none;
}

// How much larger than its box the clip's content is ever drawn: Ken Burns' zoom times the clip's largest
// scale (up to 2×), so images and video are decoded sharp enough for it.
double largest_zoom(const spec::Clip& clip) {
    double scale = clip.layout.scale.value;
    for (const auto& key : clip.layout.scale.keys) scale = std::max(scale, key.value);
    double ken_burns = clip.effect.type == spec::KenBurns::none ? 1 : 1 + 0.1 * clip.effect.speed;
    return ken_burns * std::clamp(scale, 1.0, 2.0);
}

void warn_upscale(const PlannedClip& pc, const SourceInfo& source, const Rect& drawn,
                  std::vector<Error>& warnings) {
    double factor = std::max(drawn.w * pc.oversample / source.width, drawn.h * pc.oversample / source.height);
    if (factor <= 1.05) return;
    const auto& src = std::get<spec::ImageAsset>(pc.clip->asset).src;
    warnings.push_back({Code::invalid_argument,
                        fmt::format("image is {}×{} but drawn {:.2f}× larger; it will look soft",
                                    source.width, source.height, factor),
                        src.pointer});
}

// contain-blur: a blurred cover copy filling the box with the sharp contain copy over it.
Result<media::Bitmap> contain_blur(const PlannedClip& pc, const SourceInfo& source,
                                   const media::InputLimits& limits) {
    double k = pc.oversample;
    Size box{pc.box_w * k, pc.box_h * k};
    Rect cover = fit_rect(spec::Fit::cover, {source.width, source.height}, box);
    Rect contain = fit_rect(spec::Fit::contain, {source.width, source.height}, box);
    auto back = media::load_image(pc.source, pixels(cover.w / 8), pixels(cover.h / 8), limits);
    if (!back) return std::unexpected(back.error());
    auto front = media::load_image(pc.source, pixels(contain.w), pixels(contain.h), limits);
    if (!front) return std::unexpected(front.error());
    media::Bitmap blurred = media::blur(*back, 2.5);
    media::Bitmap out(pixels(box.w), pixels(box.h));
    auto surface = detail::wrap(out);
    auto cr = detail::context(surface);
    // The backdrop's edge pixels are repeated so its soft edges never show; the sharp copy's are not.
    for (auto [bitmap, rect, extend] :
         {std::tuple{&blurred, cover, CAIRO_EXTEND_PAD}, std::tuple{&*front, contain, CAIRO_EXTEND_NONE}}) {
        auto source_surface = detail::wrap(*bitmap);
        cairo_save(cr.get());
        cairo_translate(cr.get(), rect.x, rect.y);
        cairo_scale(cr.get(), rect.w / bitmap->width(), rect.h / bitmap->height());
        cairo_set_source_surface(cr.get(), source_surface.get(), 0, 0);
        cairo_pattern_set_extend(cairo_get_source(cr.get()), extend);
        cairo_paint(cr.get());
        cairo_restore(cr.get());
    }
    cairo_surface_flush(surface.get());
    return out;
}

// The decoding of `pc`'s image at w × h, holding copies of what it needs (clips move after planning).
ImageSlot::Load image_load(const PlannedClip& pc, const SourceInfo& source, const media::InputLimits& limits,
                           int w, int h, bool blurred) {
    return [pc, source, limits, w, h, blurred] {
        return blurred ? contain_blur(pc, source, limits) : media::load_image(pc.source, w, h, limits);
    };
}

Result<void> plan_image(PlannedClip& pc, const SourceInfo& source, const Plan& plan, ImageSources images,
                        std::vector<Error>& warnings) {
    const spec::Layout& layout = pc.clip->layout;
    Rect rect = fit_rect(layout.fit, {source.width, source.height}, {pc.box_w, pc.box_h});
    warn_upscale(pc, source, rect, warnings);
    bool blurred = layout.fit == spec::Fit::contain_blur;
    if (blurred) rect = {0, 0, pc.box_w, pc.box_h};
    int w = pixels(rect.w * pc.oversample), h = pixels(rect.h * pc.oversample);
    std::string key = fmt::format("{}|{}x{}|{}", pc.source.string(), w, h, blurred);
    ImageSlot::Load load = image_load(pc, source, plan.limits, w, h, blurred);
    pc.content = rect;
    if (!images.shared) {
        pc.raster = Raster(images.own.slot(key, std::move(load), pc.start, pc.end));
        return {};
    }
    auto raster = images.shared->get(key, load);
    if (!raster) return std::unexpected(raster.error());
    pc.raster = Raster(*raster, fast_hash(key));
    return {};
}

Result<void> plan_text(PlannedClip& pc, const Plan& plan, std::vector<Error>& warnings) {
    const spec::Layout& layout = pc.clip->layout;
    int fw = plan.width(), fh = plan.height();
    if (layout.width) pc.text_box_w = layout.width->resolve(fw, fw, fh);
    if (layout.height) pc.text_box_h = layout.height->resolve(fh, fw, fh);
    const auto& text = std::get<spec::TextAsset>(pc.clip->asset);
    auto request = text_request(pc, plan.base_dir, fw, fh, sample(text.style.color, 0));
    auto font = check_font(request);
    if (!font) return std::unexpected(font.error());
    auto raster = rasterize_text(request);
    if (!raster) return std::unexpected(raster.error());
    for (auto& w : *font) warnings.push_back(w);
    for (auto& w : raster->warnings) warnings.push_back(w);
    Size box = box_size(layout, fw, fh, {raster->box_width, raster->box_height});
    pc.box_w = box.w, pc.box_h = box.h;
    pc.content = text_rect(*raster);
    pc.clip_to_box = false;
    if (text.style.color.animated())
        pc.animated = true;
    else
        pc.raster = Raster::of(std::make_shared<const media::Bitmap>(std::move(raster->bitmap)));
    return {};
}

}  // namespace

Result<void> plan_visual(PlannedClip& pc, const SourceInfo& source, const Plan& plan, ImageSources images,
                         std::vector<Error>& warnings) {
    const spec::Clip& clip = *pc.clip;
    int fw = plan.width(), fh = plan.height();
    Size box = box_size(clip.layout, fw, fh, {double(fw), double(fh)});
    pc.box_w = box.w, pc.box_h = box.h;
    pc.content = {0, 0, box.w, box.h};
    pc.animated = layout_animates(pc);
    pc.oversample = largest_zoom(clip);
    switch (pc.kind) {
        case ClipKind::image:
            return plan_image(pc, source, plan, images, warnings);
        case ClipKind::video:
            pc.content = fit_rect(clip.layout.fit, {source.width, source.height}, box);
            pc.animated = true;
            return {};
        case ClipKind::text:
            return plan_text(pc, plan, warnings);
        case ClipKind::shape: {
            const auto& fill = std::get<spec::ShapeAsset>(clip.asset).fill;
            pc.clip_to_box = false;
            if (fill.animated())
                pc.animated = true;
            else
                pc.raster = Raster::of(shape_content(pc, fill.value).bitmap);
            return {};
        }
        case ClipKind::color:
            pc.animated = pc.animated || std::get<spec::ColorAsset>(clip.asset).color.animated();
            return {};
        case ClipKind::audio:
            return {};
    }
    return {};
}

}  // namespace vidgen::render
