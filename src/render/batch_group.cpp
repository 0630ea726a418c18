#include "render/batch_group.hpp"

#include <future>

#include <fmt/format.h>

#include "core/hash.hpp"
#include "render/encoder_settings.hpp"
#include "render/plan.hpp"
#include "render/still.hpp"

namespace vidgen::render {
namespace {

// Rows with their own audio or intros must not grow the cache with the batch: past this many entries
// a map starts again (what every row shares is encoded again at most once per refill).
constexpr std::size_t kMaxCachedStreams = 64;

void remember(std::unordered_map<std::uint64_t, StreamPtr>& map, std::uint64_t key, const StreamPtr& stream) {
    if (map.size() >= kMaxCachedStreams) map.clear();
    map.emplace(key, stream);
}

// Shared stretches shorter than this many seconds are cheaper to encode per row than to join.
constexpr double kMinSharedSeconds = 0.5;
// A picture that stays this long is encoded once or twice by x264 and followed by skipped frames
// (media::RunEncoder::write_still) rather than encoded frame by frame.
constexpr double kMinStillSeconds = 0.5;

std::uint64_t segment_key(const std::vector<std::uint64_t>& signatures, const Segment& s,
                          const media::EncoderSettings& settings) {
    std::string_view bytes(reinterpret_cast<const char*>(signatures.data() + s.first),
                           std::size_t(s.count) * sizeof(std::uint64_t));
    std::string place =
        fmt::format("{}:{}:{}x{}@{}/{}:{}:{}", s.first, s.count, settings.width, settings.height,
                    settings.fps_num, settings.fps_den, settings.crf, settings.preset);
    return fast_hash(bytes, fast_hash(place));
}

// Equal for plans whose sounds are placed alike, so whose mixes are equal.
std::uint64_t audio_key(const Plan& plan) {
    std::string place = fmt::format("{}:{}:{}", plan.range_start, plan.duration, plan.frames);
    for (const AudioPlacement& p : plan.audio)
        place +=
            fmt::format("|{}:{}:{}:{}:{}:{}:{}:{}:{}:{}", p.source.string(), p.start, p.end, p.trim, p.speed,
                        p.loop, p.source_duration, p.props.volume, p.props.fade_in, p.props.fade_out);
    return fast_hash(place);
}

Result<void> publish(const std::filesystem::path& partial, const std::filesystem::path& out) {
    std::error_code ec;
    std::filesystem::rename(partial, out, ec);
    if (!ec) return {};
    std::filesystem::remove(partial, ec);
    return fail(Code::io, fmt::format("cannot write {}: {}", out.string(), ec.message()));
}

}  // namespace

// Passes frames to a run that goes on after the pipeline is done with them (the pipeline finishes its
// encoder).
class ContinuedRun final : public media::Encoder {
  public:
    explicit ContinuedRun(media::RunEncoder& run) : run_(run) {}
    Result<void> write_video(media::VideoFrame frame) override { return run_.write_video(std::move(frame)); }
    Result<void> write_audio(std::span<const float> samples) override { return run_.write_audio(samples); }
    Result<void> finish() override { return {}; }

  private:
    media::RunEncoder& run_;
};

void GroupRender::report(long frames_done) {
    if (options_.on_progress) options_.on_progress({frames_done, total_, elapsed()});
}

Result<void> GroupRender::encode_moving(const Plan& plan, const Segment& piece, media::Encoder& encoder) {
    RenderOptions options = options_;
    const long base = done_;
    if (options_.on_progress)
        options.on_progress = [this, base](const Progress& p) { report(base + p.frames_done); };
    auto stats = run_pipeline(plan, encoder, settings_, options, FrameRange{piece.first, piece.count});
    if (!stats) return std::unexpected(stats.error());
    encoded_ += piece.count;
    return {};
}

Result<StreamPtr> GroupRender::encode_shared(const Plan& plan, const Segment& piece) {
    auto encoder = media::RunEncoder::open(settings_, piece.first);
    if (!encoder) return std::unexpected(encoder.error());
    if (auto encoded = encode_moving(plan, piece, **encoder); !encoded)
        return std::unexpected(encoded.error());
    done_ += piece.count;
    report(done_);
    return (*encoder)->run();
}

Result<void> GroupRender::encode_still(const Plan& plan, const Segment& piece) {
    if (options_.cancel && options_.cancel->load()) return fail(Code::canceled, "render canceled");
    auto picture = compose_at(plan, plan.range_start + double(piece.first) / plan.fps());
    if (!picture) return std::unexpected(picture.error());
    auto frame = media::FrameConverter(settings_).convert(*picture);
    if (!frame) return std::unexpected(frame.error());
    if (auto written = open_->write_still(std::move(*frame), piece.count); !written) return written;
    encoded_ += 1;
    return {};
}

// Adds `piece` to the row's open run (opened here when there is none).
Result<void> GroupRender::add_to_open(const Plan& plan, const Segment& piece) {
    if (!open_) {
        auto encoder = media::RunEncoder::open(settings_, piece.first);
        if (!encoder) return std::unexpected(encoder.error());
        open_ = std::move(*encoder);
    }
    ContinuedRun continued(*open_);
    auto added = piece.still ? encode_still(plan, piece) : encode_moving(plan, piece, continued);
    if (!added) return added;
    done_ += piece.count;
    report(done_);
    return {};
}

Result<void> GroupRender::close_open(std::vector<StreamPtr>& runs) {
    if (!open_) return {};
    auto encoder = std::move(open_);
    if (auto finished = encoder->finish(); !finished) return finished;
    runs.push_back(encoder->run());
    return {};
}

// Appends the runs of `segment`, split into still and moving pieces; shared moving pieces are closed runs
// from the cache, the rest goes into the row's open run.
Result<void> GroupRender::append_runs(const Plan& plan, const Segment& segment,
                                      const std::vector<std::uint64_t>& signatures,
                                      std::vector<StreamPtr>& runs) {
    for (const Segment& piece : split_still(segment, signatures, min_still_)) {
        if (!piece.shared || piece.still) {
            if (auto added = add_to_open(plan, piece); !added) return added;
            continue;
        }
        if (auto closed = close_open(runs); !closed) return closed;
        std::uint64_t key = segment_key(signatures, piece, settings_);
        if (auto it = cache_.runs.find(key); it != cache_.runs.end()) {
            runs.push_back(it->second);
            continue;
        }
        auto run = encode_shared(plan, piece);
        if (!run) return std::unexpected(run.error());
        remember(cache_.runs, key, *run);
        runs.push_back(*run);
    }
    return {};
}

Result<StreamPtr> GroupRender::audio_for(const Plan& plan, const std::atomic<bool>& stop) {
    if (!audio_) return StreamPtr{};
    std::uint64_t key = audio_key(plan);
    if (auto it = cache_.audio.find(key); it != cache_.audio.end()) return it->second;
    media::EncoderSettings settings = settings_;
    settings.audio = true;
    AudioMixer mixer = audio_mixer(plan);
    auto track = media::encode_audio_track([&mixer](std::size_t frames) { return mixer.next(frames); },
                                           plan.duration, settings, &stop);
    if (track) remember(cache_.audio, key, *track);
    return track;
}

Result<std::vector<StreamPtr>> GroupRender::runs_of(std::size_t row) {
    const Plan& plan = *rows_[row].plan.plan;
    std::vector<StreamPtr> runs;
    for (const Segment& segment : segments_) {
        const auto& signatures = segment.shared ? signatures_.front() : signatures_[row];
        const Plan& source = segment.shared ? *rows_.front().plan.plan : plan;
        if (auto appended = append_runs(source, segment, signatures, runs); !appended)
            return std::unexpected(appended.error());
    }
    if (auto closed = close_open(runs); !closed) return std::unexpected(closed.error());
    return runs;
}

// The sound is encoded on a thread of its own while the pictures are: it takes the core that the frame
// pipeline leaves idle while it starts and drains, instead of adding its time at the end.
Result<void> GroupRender::render_row(std::size_t row) {
    std::atomic<bool> stop{false};
    auto encoding =
        std::async(std::launch::async, [this, row, &stop] { return audio_for(*rows_[row].plan.plan, stop); });
    auto runs = runs_of(row);
    stop = !runs.has_value();
    auto audio = encoding.get();
    if (!runs) return std::unexpected(runs.error());
    if (!audio) return std::unexpected(audio.error());
    media::EncoderSettings settings = settings_;
    settings.path = rows_[row].out;
    settings.path += ".partial";
    if (auto muxed = media::mux_runs(settings, *runs, audio->get()); !muxed) {
        std::error_code ec;
        std::filesystem::remove(settings.path, ec);
        return muxed;
    }
    return publish(settings.path, rows_[row].out);
}

long GroupRender::frames_to_encode() const {
    long total = 0;
    for (const Segment& s : segments_) total += s.shared ? s.count : s.count * long(rows_.size());
    return total;
}

Result<void> GroupRender::prepare() {
    const Plan& first = *rows_.front().plan.plan;
    settings_ = encoder_settings(first, {}, options_.threads);
    settings_.audio = false;
    for (const BatchRow& row : rows_) {
        auto signatures = content_signatures(*row.plan.plan, options_);
        if (!signatures) return std::unexpected(signatures.error());
        signatures_.push_back(std::move(*signatures));
        audio_ = audio_ || row.plan.plan->has_audio;
    }
    min_still_ = std::lround(kMinStillSeconds * first.fps());
    return {};
}

Result<std::vector<StreamPtr>> GroupRender::encode_range(FrameRange range) {
    if (auto ready = prepare(); !ready) return std::unexpected(ready.error());
    segments_ = {Segment{.first = range.first, .count = range.count}};
    total_ = range.count;
    return runs_of(0);
}

Result<BatchStats> GroupRender::run() {
    const Plan& first = *rows_.front().plan.plan;
    if (auto ready = prepare(); !ready) return std::unexpected(ready.error());
    segments_ = split_segments(signatures_, std::lround(kMinSharedSeconds * first.fps()));
    total_ = frames_to_encode();
    for (std::size_t row = 0; row < rows_.size(); ++row)
        if (auto done = render_row(row); !done) return std::unexpected(done.error());
    BatchStats stats;
    stats.rows = long(rows_.size());
    stats.frames = first.frames * stats.rows;
    stats.frames_encoded = encoded_;
    stats.seconds = elapsed();
    return stats;
}

}  // namespace vidgen::render
