#include "render/plan_raster.hpp"

#include <string_view>
#include <utility>

#include "core/hash.hpp"

namespace vidgen::render {

// pixels_ is destroyed first: when it is the last reference to a decode in flight, its destructor waits
// for that decode, which still uses load_.
ImageSlot::~ImageSlot() = default;

bool ImageSlot::needed(double from, double lead) const {
    for (const Span& span : spans_)
        if (span.end > from && span.start < from + lead) return true;
    return false;
}

// On a thread of its own; when none can be started, libstdc++ defers the decode to the first get().
ImageSlot::Shared ImageSlot::start_locked() {
    pixels_ = std::async(std::launch::async | std::launch::deferred, [this]() -> Result<Pixels> {
                  auto bitmap = load_();
                  if (!bitmap) return std::unexpected(bitmap.error());
                  return std::make_shared<const media::Bitmap>(std::move(*bitmap));
              }).share();
    return pixels_;
}

Result<Pixels> ImageSlot::get() {
    Shared pixels;
    {
        std::lock_guard lock(mutex_);
        pixels = pixels_.valid() ? pixels_ : start_locked();
    }
    return pixels.get();
}

void ImageSlot::prefetch() {
    std::lock_guard lock(mutex_);
    if (!pixels_.valid()) start_locked();
}

void ImageSlot::drop() {
    Shared dropped;
    std::lock_guard lock(mutex_);
    dropped = std::exchange(pixels_, {});
}

bool ImageSlot::held() const {
    std::lock_guard lock(mutex_);
    return pixels_.valid();
}

std::shared_ptr<ImageSlot> ImageSlots::slot(const std::string& key, ImageSlot::Load load, double start,
                                            double end) {
    std::lock_guard lock(mutex_);
    auto [it, inserted] = slots_.try_emplace(key);
    if (inserted) it->second = std::make_shared<ImageSlot>(key, std::move(load));
    it->second->add_span(start, end);
    return it->second;
}

std::vector<std::shared_ptr<ImageSlot>> ImageSlots::all() const {
    std::lock_guard lock(mutex_);
    std::vector<std::shared_ptr<ImageSlot>> out;
    for (const auto& [key, slot] : slots_) out.push_back(slot);
    return out;
}

Raster::Raster(std::shared_ptr<ImageSlot> slot)
    : slot_(std::move(slot)), identity_(fast_hash(slot_->key())) {}

Raster Raster::of(Pixels pixels) {
    std::string_view bytes(reinterpret_cast<const char*>(pixels->data()),
                           std::size_t(pixels->stride()) * std::size_t(pixels->height()));
    const std::uint64_t identity = fast_hash(bytes);
    return {std::move(pixels), identity};
}

Result<Pixels> Raster::get() const {
    if (pixels_) return pixels_;
    if (slot_) return slot_->get();
    return fail(Code::internal, "the clip has no pre-rasterised content");
}

}  // namespace vidgen::render
