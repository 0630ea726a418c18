#include "render/batch.hpp"

#include <fmt/format.h>

#include <chrono>
#include <unordered_map>

#include "core/hash.hpp"
#include "media/runs.hpp"
#include "render/batch_segments.hpp"
#include "render/encoder_settings.hpp"
#include "render/pipeline.hpp"
#include "render/plan.hpp"

namespace vidgen::render {

using media::EncodedStream;
using StreamPtr = std::shared_ptr<const EncodedStream>;

struct BatchRenderer::Cache {
    std::unordered_map<std::uint64_t, StreamPtr> runs;   // shared segments by content and place
    std::unordered_map<std::uint64_t, StreamPtr> audio;  // audio tracks by their samples
};

namespace {

// Shared stretches shorter than this many seconds are cheaper to encode per row than to join.
constexpr double kMinSharedSeconds = 0.5;

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

std::uint64_t segment_key(const std::vector<std::uint64_t>& signatures, const Segment& s,
                          const media::EncoderSettings& settings) {
    std::string_view bytes(reinterpret_cast<const char*>(signatures.data() + s.first),
                           std::size_t(s.count) * sizeof(std::uint64_t));
    std::string place =
        fmt::format("{}:{}:{}x{}@{}/{}:{}:{}", s.first, s.count, settings.width, settings.height,
                    settings.fps_num, settings.fps_den, settings.crf, settings.preset);
    return fast_hash(bytes, fast_hash(place));
}

std::uint64_t audio_key(const Plan& plan) {
    std::string_view bytes(reinterpret_cast<const char*>(plan.audio.data()),
                           plan.audio.size() * sizeof(float));
    return fast_hash(bytes, std::uint64_t(plan.frames));
}

Result<void> publish(const std::filesystem::path& partial, const std::filesystem::path& out) {
    std::error_code ec;
    std::filesystem::rename(partial, out, ec);
    if (!ec) return {};
    std::filesystem::remove(partial, ec);
    return fail(Code::io, fmt::format("cannot write {}: {}", out.string(), ec.message()));
}

}  // namespace

// The work of one group: which segments each row needs, and progress over all of them.
class GroupRender {
  public:
    GroupRender(std::span<const BatchRow> rows, const RenderOptions& options, BatchRenderer::Cache& cache)
        : rows_(rows), options_(options), cache_(cache), started_(std::chrono::steady_clock::now()) {}

    Result<BatchStats> run();

  private:
    Result<StreamPtr> encode(const Plan& plan, const Segment& segment);
    Result<StreamPtr> shared_run(const Segment& segment);
    Result<StreamPtr> audio_for(const Plan& plan);
    Result<void> render_row(const BatchRow& row, const std::vector<StreamPtr>& shared);
    long frames_to_encode() const;

    std::span<const BatchRow> rows_;
    const RenderOptions& options_;
    BatchRenderer::Cache& cache_;
    std::vector<std::vector<std::uint64_t>> signatures_;
    std::vector<Segment> segments_;
    media::EncoderSettings settings_;
    long done_ = 0, total_ = 0;
    std::chrono::steady_clock::time_point started_;
};

Result<StreamPtr> GroupRender::encode(const Plan& plan, const Segment& segment) {
    auto encoder = media::RunEncoder::open(settings_, segment.first);
    if (!encoder) return std::unexpected(encoder.error());
    RenderOptions options = options_;
    const long base = done_;
    if (options_.on_progress) {
        options.on_progress = [this, base](const Progress& p) {
            double elapsed =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
            options_.on_progress({base + p.frames_done, total_, elapsed});
        };
    }
    media::EncoderSettings video_only = settings_;
    video_only.audio = false;  // audio is encoded once per distinct track, not per run
    auto stats = run_pipeline(plan, **encoder, video_only, options, FrameRange{segment.first, segment.count});
    if (!stats) return std::unexpected(stats.error());
    done_ += segment.count;
    return (*encoder)->run();
}

Result<StreamPtr> GroupRender::shared_run(const Segment& segment) {
    std::uint64_t key = segment_key(signatures_.front(), segment, settings_);
    if (auto it = cache_.runs.find(key); it != cache_.runs.end()) return it->second;
    auto run = encode(*rows_.front().plan.plan, segment);
    if (run) cache_.runs.emplace(key, *run);
    return run;
}

Result<StreamPtr> GroupRender::audio_for(const Plan& plan) {
    if (!settings_.audio) return StreamPtr{};
    std::uint64_t key = audio_key(plan);
    if (auto it = cache_.audio.find(key); it != cache_.audio.end()) return it->second;
    auto track = media::encode_audio_track(plan.audio, plan.duration, settings_);
    if (track) cache_.audio.emplace(key, *track);
    return track;
}

Result<void> GroupRender::render_row(const BatchRow& row, const std::vector<StreamPtr>& shared) {
    const Plan& plan = *row.plan.plan;
    std::vector<StreamPtr> runs;
    for (std::size_t i = 0; i < segments_.size(); ++i) {
        if (segments_[i].shared) {
            runs.push_back(shared[i]);
            continue;
        }
        auto run = encode(plan, segments_[i]);
        if (!run) return std::unexpected(run.error());
        runs.push_back(*run);
    }
    auto audio = audio_for(plan);
    if (!audio) return std::unexpected(audio.error());
    media::EncoderSettings settings = settings_;
    settings.path = row.out;
    settings.path += ".partial";
    if (auto muxed = media::mux_runs(settings, runs, audio->get()); !muxed) {
        std::error_code ec;
        std::filesystem::remove(settings.path, ec);
        return muxed;
    }
    return publish(settings.path, row.out);
}

long GroupRender::frames_to_encode() const {
    long total = 0;
    for (const Segment& s : segments_) total += s.shared ? s.count : s.count * long(rows_.size());
    return total;
}

Result<BatchStats> GroupRender::run() {
    const Plan& first = *rows_.front().plan.plan;
    settings_ = encoder_settings(first, {}, options_.threads);
    settings_.audio = false;
    for (const BatchRow& row : rows_) {
        signatures_.push_back(content_signatures(*row.plan.plan));
        settings_.audio = settings_.audio || row.plan.plan->has_audio;
    }
    segments_ = split_segments(signatures_, std::lround(kMinSharedSeconds * first.fps()));
    total_ = frames_to_encode();
    std::vector<StreamPtr> shared(segments_.size());
    for (std::size_t i = 0; i < segments_.size(); ++i) {
        if (!segments_[i].shared) continue;
        auto run = shared_run(segments_[i]);
        if (!run) return std::unexpected(run.error());
        shared[i] = *run;
    }
    for (const BatchRow& row : rows_)
        if (auto done = render_row(row, shared); !done) return std::unexpected(done.error());
    BatchStats stats;
    stats.rows = long(rows_.size());
    stats.frames = first.frames * stats.rows;
    stats.frames_encoded = done_;
    stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    return stats;
}

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

}  // namespace vidgen::render
