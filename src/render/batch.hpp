// Rendering one template for many data rows while sharing the work the rows have in common: moving frames
// that are the same in every row of a group (same pixels at the same time, e.g. an animated intro before a
// name appears) are encoded once, as closed runs joined into each row's mp4 without re-encoding, and audio
// that is the same in every row is encoded once. The rest of a row is one x264 stream in which a still
// stretch (shared or not) costs x264 a picture or two, the other frames skipped. Runs are remembered across
// groups, so a batch of 10,000 rows planned 16 at a time still encodes each shared stretch once. Rows that
// cannot share (another format, size, rate or length) are rendered one by one. Not thread-safe: one
// BatchRenderer per batch.
#pragma once

#include <filesystem>
#include <memory>
#include <span>

#include "core/error.hpp"
#include "media/runs.hpp"
#include "render/render.hpp"

namespace vidgen::render {

struct BatchRow {
    PlanHandle plan;
    std::filesystem::path out;
};

struct BatchStats {
    long rows = 0;
    long frames = 0;          // frames in all the outputs
    long frames_encoded = 0;  // frames actually composited and encoded (shared runs count once)
    double seconds = 0;
};

class BatchRenderer {
  public:
    // `options.on_progress` reports frames encoded against frames to encode, per group.
    explicit BatchRenderer(RenderOptions options);
    ~BatchRenderer();

    // Renders a group of rows, each to its `out` (written as out.partial, renamed when complete).
    Result<BatchStats> render(std::span<const BatchRow> rows);

    struct Cache;  // encoded runs and audio tracks kept for later groups

  private:
    RenderOptions options_;
    std::unique_ptr<Cache> cache_;
};

// The closed run of `plan`'s frames [first, first + count) (video only; stretches that stay still cost x264
// a picture or two): one segment of a segment-parallel render.
Result<std::vector<std::shared_ptr<const media::EncodedStream>>> encode_span(const PlanHandle& plan,
                                                                             long first, long count,
                                                                             const RenderOptions& options);

}  // namespace vidgen::render
