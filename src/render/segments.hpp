// Segment-parallel rendering: a long mp4 is cut into frame spans that separate workers render at the same
// time, each into a segment file of closed runs (media/runs.hpp: every span starts with a keyframe and
// refers to nothing outside it); join_segments then muxes them, without re-encoding, with the audio
// encoded once, into the same frames, duration and sync as render() would give. Thread-safe as render().
#pragma once

#include <filesystem>
#include <span>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "render/render.hpp"

namespace vidgen::render {

struct FrameSpan {
    long first = 0;
    long count = 0;
};

// Spans of about `seconds` each covering every frame (the last takes the remainder, and one shorter than
// half a span is merged into the one before). Empty when the plan cannot be split (not mp4) or would be
// one span anyway.
std::vector<FrameSpan> segment_spans(const PlanHandle& plan, double seconds);

// Renders the frames of `span` into a segment file at `out`, labelled (media::write_runs) with `label`.
// Progress counts the span's frames.
Result<RenderStats> render_segment(const PlanHandle& plan, FrameSpan span, const std::filesystem::path& out,
                                   const RenderOptions& options, std::string_view label = {});

// Joins the segment files of every span, in order, with the plan's audio into the mp4 `out` (written as
// out.partial and renamed when complete). The segments must cover every frame exactly once.
Result<void> join_segments(const PlanHandle& plan, std::span<const std::filesystem::path> segments,
                           const std::filesystem::path& out, const RenderOptions& options);

}  // namespace vidgen::render
