// How a batch splits its frames: per row, a content signature for every frame (equal signatures mean
// equal pixels, whichever row they come from), and the segments of frames that every row shares.
// Thread-safe: no shared state (content_signatures calls the options' progress callback on the caller's
// thread).
#pragma once

#include <cstdint>
#include <vector>

#include "core/error.hpp"

namespace vidgen::render {

class Plan;
struct RenderOptions;

// One signature per output frame of `plan`, covering what each visible clip draws (its raster, source or
// text) as well as where and how, so that rows with different data only match where they look the same.
std::vector<std::uint64_t> content_signatures(const Plan& plan);
// The same for a render: stops with Code::canceled once options.cancel is raised, and meanwhile reports
// progress with nothing encoded yet (frames_total 0) about every 100 ms, so a caller that raises the
// cancel from its progress callback gets to look during a long video's pass.
Result<std::vector<std::uint64_t>> content_signatures(const Plan& plan, const RenderOptions& options);

struct Segment {
    long first = 0;
    long count = 0;
    bool shared = false;  // the same frames in every row: encode once
    bool still = false;   // every frame the same picture: one keyframe, then skipped frames
};

// Consecutive segments covering [0, frames): shared where every row's signatures agree for at least
// `min_shared` frames in a row, unshared elsewhere. With fewer than two rows nothing is shared.
std::vector<Segment> split_segments(const std::vector<std::vector<std::uint64_t>>& signatures,
                                    long min_shared);

// Splits `segment` where one row's frames stay the same picture for at least `min_still` frames in a row:
// those stretches become still segments. Keeps `shared`.
std::vector<Segment> split_still(const Segment& segment, const std::vector<std::uint64_t>& signatures,
                                 long min_still);

}  // namespace vidgen::render
