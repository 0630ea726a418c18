// A run of identical frames at almost no cost: the first frame is encoded by x264 (same settings as
// RunEncoder, so the parameter sets match and mux_runs can join it with other runs) as a keyframe, and
// each following frame is a P frame whose macroblocks are all skipped (a copy of the frame before),
// written as H.264 directly without the encoder. Thread-safe: no shared state.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include "core/error.hpp"
#include "media/encoder.hpp"
#include "media/runs.hpp"
namespace vidgen::media {
// `count` >= 1 frames numbered from `first_frame`, all showing `frame`. mp4 (H.264) settings only.
// Stops with Code::canceled once `cancel` (when given) is raised.
Result<std::shared_ptr<const EncodedStream>> encode_static_run(const EncoderSettings& settings,
                                                               std::int64_t first_frame, std::int64_t count,
                                                               VideoFrame frame,
                                                               const std::atomic<bool>* cancel = nullptr);
}  // namespace vidgen::media
