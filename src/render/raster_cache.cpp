#include "render/raster_cache.hpp"

#include "render/render.hpp"

namespace vidgen::render {

Result<RasterCache::Raster> RasterCache::get(const std::string& key,
                                             const std::function<Result<media::Bitmap>()>& load) {
    std::promise<Result<Raster>> promise;
    std::shared_future<Result<Raster>> entry;
    bool first = false;
    {
        std::lock_guard lock(mutex_);
        auto [it, inserted] = entries_.try_emplace(key);
        if (inserted) it->second = promise.get_future().share();
        entry = it->second;
        first = inserted;
    }
    if (first) {
        auto bitmap = load();
        if (bitmap)
            promise.set_value(std::make_shared<const media::Bitmap>(std::move(*bitmap)));
        else
            promise.set_value(std::unexpected(bitmap.error()));
    }
    return entry.get();
}

std::shared_ptr<RasterCache> make_image_cache() {
    return std::make_shared<RasterCache>();
}

}  // namespace vidgen::render
