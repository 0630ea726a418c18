#include "render/segments.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>

#include "media/runs.hpp"
#include "render/batch.hpp"
#include "render/encoder_settings.hpp"
#include "render/plan.hpp"

namespace vidgen::render {
namespace {

using StreamPtr = std::shared_ptr<const media::EncodedStream>;

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

Result<StreamPtr> audio_track(const Plan& plan, const media::EncoderSettings& video) {
    if (!plan.has_audio) return StreamPtr{};
    media::EncoderSettings settings = video;
    settings.audio = true;
    AudioMixer mixer = audio_mixer(plan);
    return media::encode_audio_track([&mixer](std::size_t frames) { return mixer.next(frames); },
                                     plan.duration, settings);
}

Result<std::vector<StreamPtr>> read_all(std::span<const std::filesystem::path> segments,
                                        const RenderOptions& options) {
    std::vector<StreamPtr> runs;
    for (const auto& path : segments) {
        if (options.cancel && options.cancel->load()) return fail(Code::canceled, "render canceled");
        auto read = media::read_runs(path);
        if (!read) return std::unexpected(read.error());
        runs.insert(runs.end(), read->begin(), read->end());
    }
    return runs;
}

}  // namespace

std::vector<FrameSpan> segment_spans(const PlanHandle& handle, double seconds) {
    const Plan& plan = *handle.plan;
    const long span = std::lround(seconds * plan.fps());
    if (plan.spec.output.format != spec::Format::mp4 || span <= 0 || plan.frames < 2 * span) return {};
    std::vector<FrameSpan> spans;
    for (long first = 0; first < plan.frames; first += span)
        spans.push_back({first, std::min(span, plan.frames - first)});
    if (spans.back().count < span / 2) {
        spans[spans.size() - 2].count += spans.back().count;
        spans.pop_back();
    }
    return spans;
}

Result<RenderStats> render_segment(const PlanHandle& plan, FrameSpan span, const std::filesystem::path& out,
                                   const RenderOptions& options, std::string_view label) {
    auto started = std::chrono::steady_clock::now();
    auto runs = encode_span(plan, span.first, span.count, options);
    if (!runs) return std::unexpected(runs.error());
    if (auto written = media::write_runs(*runs, out, label); !written)
        return std::unexpected(written.error());
    return RenderStats{.frames = span.count, .seconds = seconds_since(started)};
}

Result<void> join_segments(const PlanHandle& handle, std::span<const std::filesystem::path> segments,
                           const std::filesystem::path& out, const RenderOptions& options) {
    const Plan& plan = *handle.plan;
    auto runs = read_all(segments, options);
    if (!runs) return std::unexpected(runs.error());
    long frames = 0;
    for (const auto& run : *runs) frames += long(run->frame_count());
    if (runs->empty() || runs->front()->first_frame() != 0 || frames != plan.frames) {
        return fail(Code::internal, fmt::format("the segments hold {} frames of {}", frames, plan.frames));
    }
    auto settings = encoder_settings(plan, out, options.threads);
    settings.audio = false;
    auto audio = audio_track(plan, settings);
    if (!audio) return std::unexpected(audio.error());
    settings.path += ".partial";
    auto muxed = media::mux_runs(settings, *runs, audio->get());
    std::error_code ec;
    if (muxed) std::filesystem::rename(settings.path, out, ec);
    if (!muxed || ec) {
        std::filesystem::remove(settings.path, ec);
        if (!muxed) return muxed;
        return fail(Code::io, fmt::format("cannot write {}", out.string()));
    }
    return {};
}

}  // namespace vidgen::render
