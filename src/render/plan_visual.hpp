// Planning the pixels of one visual clip: its box, where its content sits, and the content rasterised
// once at the size it is drawn (images loaded through shrink-on-load, static text and shapes).
// Thread-safe: no shared state.
#pragma once

#include <vector>

#include "core/error.hpp"
#include "render/plan.hpp"
#include "render/plan_raster.hpp"
#include "render/raster_cache.hpp"

namespace vidgen::render {

struct SourceInfo {
    double width = 0, height = 0;  // image or video frame size as displayed (rotation applied)
};

// Where planned images come from: `shared` (decoded now and kept, for plans rendered together) when not
// null, else the plan's own slots (decoded when needed). Clips drawing one image at one size share it.
struct ImageSources {
    RasterCache* shared = nullptr;
    ImageSlots& own;
};

// Fills box, content, oversample, raster, clip_to_box and animated of `clip` (kind, clip and source set).
// Adds warnings (upscaled images, font substitution, text overflow) to `warnings`.
Result<void> plan_visual(PlannedClip& clip, const SourceInfo& source, const Plan& plan, ImageSources images,
                         std::vector<Error>& warnings);

}  // namespace vidgen::render
