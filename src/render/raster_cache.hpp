// Rasters shared by clips that draw the same image at the same size: each is decoded once per plan,
// even when clips are planned in parallel (a second caller waits for the first one's result).
// Thread-safe.
#pragma once

#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/error.hpp"
#include "media/bitmap.hpp"

namespace vidgen::render {

class RasterCache {
  public:
    using Raster = std::shared_ptr<const media::Bitmap>;

    // The raster stored under `key`, made by `load` the first time the key is asked for.
    Result<Raster> get(const std::string& key, const std::function<Result<media::Bitmap>()>& load);

  private:
    std::mutex mutex_;
    std::map<std::string, std::shared_future<Result<Raster>>> entries_;
};

}  // namespace vidgen::render
