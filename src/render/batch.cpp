#include "render/batch.hpp"

#include <fmt/format.h>

#include <chrono>

#include "render/batch_group.hpp"
#include "render/plan.hpp"

namespace vidgen::render {
namespace {

bool can_share(std::span<const BatchRow> rows) {
    const Plan& first = *rows.front().plan.plan;
    for (const BatchRow& row : rows) {
        const Plan& p = *row.plan.plan;
        if (p.spec.output.format != spec::Format::mp4 || p.width() != first.width() ||
            p.height() != first.height() || p.fps() != first.fps() || p.frames != first.frames ||
            p.spec.output.quality != first.spec.output.quality ||
            p.spec.output.crf != first.spec.output.crf) {
            return false;
        }
    }
    return true;
}

}  // namespace

BatchRenderer::BatchRenderer(RenderOptions options)
    : options_(std::move(options)), cache_(std::make_unique<Cache>()) {}

BatchRenderer::~BatchRenderer() = default;

Result<BatchStats> BatchRenderer::render(std::span<const BatchRow> rows) {
    if (rows.empty()) return BatchStats{};
    if (can_share(rows)) return GroupRender(rows, options_, *cache_).run();
    BatchStats stats;
    auto started = std::chrono::steady_clock::now();
    for (const BatchRow& row : rows) {
        auto one = render::render(row.plan, row.out, options_);
        if (!one) return std::unexpected(one.error());
        stats.rows += 1;
        stats.frames += one->frames;
        stats.frames_encoded += one->frames - one->static_frames;
    }
    stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return stats;
}

Result<std::vector<StreamPtr>> encode_span(const PlanHandle& plan, long first, long count,
                                           const RenderOptions& options) {
    const long frames = plan.plan->frames;
    if (first < 0 || count <= 0 || first + count > frames) {
        return fail(Code::internal,
                    fmt::format("frames {}..{} are outside 0..{}", first, first + count, frames));
    }
    BatchRenderer::Cache cache;
    BatchRow row{plan, {}};
    return GroupRender(std::span(&row, 1), options, cache).encode_range(FrameRange{first, count});
}

}  // namespace vidgen::render
