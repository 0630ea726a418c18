#include "render/pipeline.hpp"

#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <optional>

#include "media/audio_decoder.hpp"
#include "render/compose.hpp"
#include "render/plan.hpp"
#include "render/video_sources.hpp"
#include "render/yuv_compose.hpp"

namespace vidgen::render {
namespace {

using Clock = std::chrono::steady_clock;

struct Token {
    long index = 0;
    FrameState state;
    bool repeat = false;                     // same pixels as the frame before
    std::vector<media::SourceFrame> videos;  // per layer: the decoded source frame (empty for other kinds)
    media::VideoFrame frame;
    std::optional<Error> error;
};
using TokenPtr = std::shared_ptr<Token>;

// State shared by the three stages of one render.
class FramePipeline {
  public:
    FramePipeline(const Plan& plan, media::Encoder& encoder, const media::EncoderSettings& settings,
                  const RenderOptions& options, FrameRange range)
        : plan_(plan),
          encoder_(encoder),
          settings_(settings),
          options_(options),
          converter_(settings),
          canvases_([&plan] { return media::Bitmap(plan.width(), plan.height()); }),
          videos_(plan, media::Access::sequential),
          yuv_(settings.container != media::Container::gif),
          bt709_(media::uses_bt709(settings.height)),
          first_(range.first),
          next_(range.first),
          end_(range.count < 0 ? plan.frames : std::min(plan.frames, range.first + range.count)) {}

    TokenPtr produce(oneapi::tbb::flow_control& fc);
    TokenPtr compose_frame(TokenPtr token);
    void consume(const TokenPtr& token);
    Result<RenderStats> finish();

  private:
    bool stopping() const { return failed_.load() || canceled(); }
    long frames_total() const { return end_ - first_; }
    bool canceled() const { return options_.cancel && options_.cancel->load(); }
    void record(Error error);
    Result<void> write(Token& token);
    void report_progress(long done, bool force);
    Result<media::VideoFrame> compose_rgb(Token& token);
    Result<media::VideoFrame> compose_in_yuv(const Token& token);

    const Plan& plan_;
    media::Encoder& encoder_;
    const media::EncoderSettings& settings_;
    const RenderOptions& options_;
    media::FrameConverter converter_;  // shared by the threads: one pool of frame buffers
    oneapi::tbb::enumerable_thread_specific<media::Bitmap> canvases_;  // reused: compose paints every pixel
    oneapi::tbb::enumerable_thread_specific<std::vector<media::Bitmap>> video_frames_;  // reused per thread
    oneapi::tbb::enumerable_thread_specific<YuvScratch> yuv_scratch_;
    VideoSources videos_;  // stage 1 only
    bool yuv_ = false;     // the encoder takes YUV 4:2:0, so frames over plain video compose in YUV
    bool bt709_ = false;
    long first_ = 0;
    long next_ = 0;
    long end_ = 0;  // one past the last frame to render
    std::optional<std::uint64_t> previous_signature_;
    media::VideoFrame last_frame_;     // stage 3 only
    std::optional<AudioMixer> audio_;  // stage 3 only
    std::int64_t audio_written_ = 0;   // stereo frames
    RenderStats stats_;
    Clock::time_point started_ = Clock::now(), last_progress_{};
    std::atomic<bool> failed_{false};
    std::mutex error_mutex_;
    std::optional<Error> error_;
};

void FramePipeline::record(Error error) {
    std::lock_guard lock(error_mutex_);
    if (!error_) error_ = std::move(error);
    failed_ = true;
}

TokenPtr FramePipeline::produce(oneapi::tbb::flow_control& fc) {
    if (next_ >= end_ || stopping()) {
        fc.stop();
        return nullptr;
    }
    auto token = std::make_shared<Token>();
    token->index = next_++;
    token->state = sample_frame(plan_, plan_.range_start + token->index / plan_.fps());
    token->repeat = previous_signature_ == token->state.signature;
    previous_signature_ = token->state.signature;
    if (token->repeat) return token;
    auto videos = videos_.frames(token->state);
    if (!videos)
        token->error = videos.error();
    else
        token->videos = std::move(*videos);
    return token;
}

TokenPtr FramePipeline::compose_frame(TokenPtr token) {
    if (!token || token->repeat || token->error || stopping()) return token;
    const bool in_yuv = yuv_ && composes_in_yuv(plan_, token->state, token->videos, bt709_);
    auto frame = in_yuv ? compose_in_yuv(*token) : compose_rgb(*token);
    token->videos.clear();  // lets the decoder reuse its buffers
    if (!frame)
        token->error = frame.error();
    else
        token->frame = std::move(*frame);
    return token;
}

Result<media::VideoFrame> FramePipeline::compose_rgb(Token& token) {
    std::vector<media::Bitmap>& videos = video_frames_.local();
    if (auto converted = convert_frames(token.videos, videos); !converted)
        return std::unexpected(converted.error());
    media::Bitmap& canvas = canvases_.local();
    if (auto composed = compose(plan_, token.state, frame_pointers(videos), canvas); !composed)
        return std::unexpected(composed.error());
    return converter_.convert(canvas);
}

Result<media::VideoFrame> FramePipeline::compose_in_yuv(const Token& token) {
    auto frame = converter_.blank_frame();
    if (!frame) return frame;
    if (auto composed =
            compose_yuv(plan_, token.state, token.videos, bt709_, frame->yuv(), yuv_scratch_.local());
        !composed)
        return std::unexpected(composed.error());
    return frame;
}

void FramePipeline::report_progress(long done, bool force) {
    if (!options_.on_progress) return;
    auto now = Clock::now();
    if (!force && now - last_progress_ < std::chrono::milliseconds(100)) return;
    last_progress_ = now;
    options_.on_progress({done, frames_total(), std::chrono::duration<double>(now - started_).count()});
}

Result<void> FramePipeline::write(Token& token) {
    media::VideoFrame frame = token.repeat ? last_frame_.share() : std::move(token.frame);
    if (token.repeat)
        ++stats_.static_frames;
    else
        last_frame_ = frame.share();
    if (auto written = encoder_.write_video(std::move(frame)); !written) return written;
    if (!settings_.audio) return {};
    if (!audio_) audio_.emplace(audio_mixer(plan_));
    const double until = token.index + 1 == plan_.frames ? plan_.duration : (token.index + 1) / plan_.fps();
    const std::int64_t end = std::llround(until * media::kMixRate);
    if (end <= audio_written_) return {};
    auto chunk = audio_->next(std::size_t(end - audio_written_));
    if (!chunk) return std::unexpected(chunk.error());
    audio_written_ += std::int64_t(chunk->size() / media::kMixChannels);
    return encoder_.write_audio(*chunk);
}

void FramePipeline::consume(const TokenPtr& token) {
    if (!token || stopping()) return;
    if (token->error) return record(*token->error);
    if (auto written = write(*token); !written) return record(written.error());
    keep_images_for(plan_, plan_.range_start + double(token->index + 1) / plan_.fps());
    ++stats_.frames;
    report_progress(stats_.frames, stats_.frames == frames_total());
}

Result<RenderStats> FramePipeline::finish() {
    if (error_) return std::unexpected(*error_);
    if (canceled()) return fail(Code::canceled, "render canceled");
    if (auto finished = encoder_.finish(); !finished) return std::unexpected(finished.error());
    stats_.seconds = std::chrono::duration<double>(Clock::now() - started_).count();
    return stats_;
}

void run_stages(FramePipeline& pipeline, std::size_t tokens) {
    using oneapi::tbb::filter_mode;
    using oneapi::tbb::make_filter;
    oneapi::tbb::parallel_pipeline(
        tokens, make_filter<void, TokenPtr>(filter_mode::serial_in_order, [&](oneapi::tbb::flow_control& fc) {
                    return pipeline.produce(fc);
                }) & make_filter<TokenPtr, TokenPtr>(filter_mode::parallel, [&](TokenPtr t) {
                    return pipeline.compose_frame(std::move(t));
                }) & make_filter<TokenPtr, void>(filter_mode::serial_in_order, [&](const TokenPtr& t) {
                    pipeline.consume(t);
                }));
}

}  // namespace

Result<RenderStats> run_pipeline(const Plan& plan, media::Encoder& encoder,
                                 const media::EncoderSettings& settings, const RenderOptions& options,
                                 FrameRange range) {
    FramePipeline pipeline(plan, encoder, settings, options, range);
    int threads = options.threads > 0 ? options.threads : oneapi::tbb::task_arena::automatic;
    oneapi::tbb::task_arena arena(threads);
    std::size_t tokens = 2 * static_cast<std::size_t>(std::max(1, arena.max_concurrency()));
    try {
        arena.execute([&] { run_stages(pipeline, tokens); });
    } catch (const std::exception& e) {
        return fail(Code::internal, std::string("frame pipeline failed: ") + e.what());
    }
    return pipeline.finish();
}

}  // namespace vidgen::render
