// One group of a batch render (BatchRenderer, encode_span): the rows' segments, their runs and audio, and
// the cache that keeps shared runs for later groups. Internal to render. Not thread-safe: one GroupRender
// per group, on one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <unordered_map>
#include <vector>

#include "media/runs.hpp"
#include "render/batch.hpp"
#include "render/batch_segments.hpp"
#include "render/pipeline.hpp"

namespace vidgen::render {

using StreamPtr = std::shared_ptr<const media::EncodedStream>;

struct BatchRenderer::Cache {
    std::unordered_map<std::uint64_t, StreamPtr> runs;   // shared segments by content and place
    std::unordered_map<std::uint64_t, StreamPtr> audio;  // audio tracks by their samples
};

// The work of one group: which segments each row needs, and progress over all of them. A row's frames go
// into one x264 stream (its open run) with its stills as skipped frames, except the moving stretches every
// row shares: those are encoded once, as closed runs.
class GroupRender {
  public:
    GroupRender(std::span<const BatchRow> rows, const RenderOptions& options, BatchRenderer::Cache& cache)
        : rows_(rows), options_(options), cache_(cache), started_(std::chrono::steady_clock::now()) {}

    Result<BatchStats> run();
    // The runs of the first row's frames in `range` only, nothing muxed (a segment of a long render).
    Result<std::vector<StreamPtr>> encode_range(FrameRange range);

  private:
    Result<void> prepare();
    Result<std::vector<StreamPtr>> runs_of(std::size_t row);
    Result<StreamPtr> encode_shared(const Plan& plan, const Segment& piece);
    Result<void> encode_moving(const Plan& plan, const Segment& piece, media::Encoder& encoder);
    Result<void> encode_still(const Plan& plan, const Segment& piece);
    Result<void> add_to_open(const Plan& plan, const Segment& piece);
    Result<void> close_open(std::vector<StreamPtr>& runs);
    Result<void> append_runs(const Plan& plan, const Segment& segment,
                             const std::vector<std::uint64_t>& signatures, std::vector<StreamPtr>& runs);
    Result<StreamPtr> audio_for(const Plan& plan, const std::atomic<bool>& stop);
    Result<void> render_row(std::size_t row);
    void report(long frames_done);
    long frames_to_encode() const;
    double elapsed() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    }

    std::span<const BatchRow> rows_;
    const RenderOptions& options_;
    BatchRenderer::Cache& cache_;
    std::vector<std::vector<std::uint64_t>> signatures_;
    std::vector<Segment> segments_;
    media::EncoderSettings settings_;  // video only: audio is encoded once per distinct track
    bool audio_ = false;
    long min_still_ = 0;
    long done_ = 0, total_ = 0, encoded_ = 0;
    std::unique_ptr<media::RunEncoder> open_;  // the row's run being written
    std::chrono::steady_clock::time_point started_;
};

}  // namespace vidgen::render
