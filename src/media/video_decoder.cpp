#include "media/video_decoder.hpp"

#include <optional>

#include <fmt/format.h>

#include "media/detail/decoding.hpp"
#include "media/detail/frame_prefetch.hpp"
#include "media/detail/frame_scaling.hpp"
#include "media/detail/frames.hpp"
#include "media/detail/input.hpp"
#include "media/probe.hpp"

namespace vidgen::media {

struct SourceFrame::Impl {
    detail::FramePtr frame;
    int width = 0, height = 0, rotation = 0;
};

namespace {

using namespace detail;

// One thread's scalers for converting SourceFrames, kept while the conversions stay the same.
ScalerSet& thread_scalers() {
    thread_local ScalerSet scalers;
    return scalers;
}

constexpr double kEpsilon = 1e-6;
constexpr double kSeekAheadSeconds = 10;  // further than this forward, a seek beats decoding through
constexpr std::size_t kDecodeAhead = 4;   // frames a sequential decoder keeps decoded ahead
constexpr int kMaxReorderFrames = 16;     // the most frames H.264 and HEVC hold back for display order
// Sequential sources up to this many pixels decode on one codec thread: their decoding thread keeps
// up with a render, and frame threads would cost time to hand frames over. Larger ones use every core.
constexpr long kOneThreadPixels = 1920L * 1088;

class LibavVideoDecoder final : public VideoDecoder {
  public:
    Result<void> start(const std::filesystem::path& path, int width, int height, const InputLimits& limits,
                       Access access);
    Result<const Bitmap*> frame_at(double seconds) override;
    Result<SourceFrame> source_frame_at(double seconds) override;
    double duration() const override { return duration_; }
    double fps() const override { return fps_; }

  private:
    Result<void> position(double seconds);  // current_ = the frame showing at `seconds`
    Result<void> advance(double seconds);
    Result<void> convert_current();
    Result<bool> read_next(AVFrame* out);
    void skip_unreferenced_before(double seconds);
    double time_of(const AVFrame* frame) const {
        return source_seconds(format_.get(), index_, frame->best_effort_timestamp);
    }

    InputFormatPtr format_;
    CodecContextPtr codec_;
    std::optional<FrameReader> reader_;
    int index_ = -1;
    int width_ = 0, height_ = 0, rotation_ = 0;
    double duration_ = 0, fps_ = 0;
    FramePtr current_ = make_frame(), next_ = make_frame();
    bool have_current_ = false, have_next_ = false, ended_ = false, converted_ = false;
    double current_time_ = 0, next_time_ = 0;
    ScalerSet scalers_;
    Bitmap bitmap_;
    Access access_ = Access::random;
    std::optional<FramePrefetch> ahead_;  // sequential access, between seeks; owns reader_ meanwhile
};

Result<void> LibavVideoDecoder::start(const std::filesystem::path& path, int width, int height,
                                      const InputLimits& limits, Access access) {
    if (width <= 0 || height <= 0 || width > limits.max_video_side || height > limits.max_video_side) {
        return fail(Code::invalid_argument, fmt::format("bad video target size {}x{}", width, height));
    }
    auto format = open_input(path, limits);
    if (!format) return std::unexpected(format.error());
    format_ = std::move(*format);
    const ProbeInfo info = describe_input(format_.get(), path);
    index_ = av_find_best_stream(format_.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (index_ < 0) return fail(Code::invalid_argument, fmt::format("{} has no video stream", path.string()));
    const AVCodecParameters* par = format_->streams[index_]->codecpar;
    const bool one_thread =
        access == Access::sequential && long(par->width) * long(par->height) <= kOneThreadPixels;
    auto codec = open_decoder(format_.get(), index_, one_thread ? 1 : 0);
    if (!codec) return std::unexpected(codec.error());
    codec_ = std::move(*codec);
    reader_.emplace(format_.get(), codec_.get(), index_);
    const StreamInfo& stream = info.streams[std::size_t(index_)];
    width_ = width;
    height_ = height;
    rotation_ = stream.rotation;
    access_ = access;
    duration_ = stream.duration > 0 ? stream.duration : info.duration;
    fps_ = av_q2d(av_guess_frame_rate(format_.get(), format_->streams[index_], nullptr));
    return {};
}

Result<const Bitmap*> LibavVideoDecoder::frame_at(double seconds) {
    if (auto positioned = position(seconds); !positioned) return std::unexpected(positioned.error());
    if (auto converted = convert_current(); !converted) return std::unexpected(converted.error());
    return &bitmap_;
}

Result<void> LibavVideoDecoder::position(double seconds) {
    seconds = std::max(0.0, seconds);
    const bool behind = have_current_ && seconds + kEpsilon < current_time_;
    const bool far_ahead = have_current_ && !ended_ && seconds > current_time_ + kSeekAheadSeconds;
    if (behind || far_ahead) {
        ahead_.reset();
        if (auto sought = reader_->seek(seconds); !sought) return std::unexpected(sought.error());
        have_current_ = have_next_ = ended_ = converted_ = false;
    }
    if (auto advanced = advance(seconds); !advanced) return advanced;
    if (!have_current_) return fail(Code::io, "the video has no decodable frame");
    return {};
}

// Moves forward until current_ is the last frame at or before `seconds` (or the first or last frame).
Result<void> LibavVideoDecoder::advance(double seconds) {
    while (true) {
        if (!have_next_) {
            if (ended_) return {};
            skip_unreferenced_before(seconds);
            auto got = read_next(next_.get());
            if (!got) return std::unexpected(got.error());
            if (!*got) {
                ended_ = true;
                return {};
            }
            have_next_ = true;
            next_time_ = time_of(next_.get());
        }
        if (have_current_ && next_time_ > seconds + kEpsilon) return {};
        std::swap(current_, next_);
        av_frame_unref(next_.get());
        current_time_ = next_time_;
        have_current_ = true;
        have_next_ = converted_ = false;
    }
}

// On the way to a frame far ahead (random access: after a seek, or a jump), frames no other frame refers
// to are not decoded: they are not the one asked for, and nothing else needs them. Within reach of it
// every frame is decoded again; the reach covers the frames a decoder holds back for reordering and for
// its threads, so the frame asked for is never one that was skipped.
void LibavVideoDecoder::skip_unreferenced_before(double seconds) {
    if (access_ != Access::random) return;
    const double reach = (codec_->thread_count + kMaxReorderFrames + 4) / fps_;
    const bool far = fps_ > 0 && have_current_ && current_time_ + reach < seconds;
    codec_->skip_frame = far ? AVDISCARD_NONREF : AVDISCARD_DEFAULT;
}

Result<bool> LibavVideoDecoder::read_next(AVFrame* out) {
    if (access_ == Access::random) return reader_->next(out);
    if (!ahead_) ahead_.emplace(*reader_, kDecodeAhead);
    return ahead_->next(out);
}

Result<void> LibavVideoDecoder::convert_current() {
    if (converted_) return {};
    auto converted = convert_frame(current_.get(), width_, height_, rotation_, scalers_, bitmap_);
    if (!converted) return converted;
    converted_ = true;
    return {};
}

Result<SourceFrame> LibavVideoDecoder::source_frame_at(double seconds) {
    if (auto positioned = position(seconds); !positioned) return std::unexpected(positioned.error());
    auto impl = std::make_unique<SourceFrame::Impl>();
    impl->frame = make_frame();
    if (int err = av_frame_ref(impl->frame.get(), current_.get()); err < 0) {
        return fail(Code::internal, "frame reference: " + av_error_text(err));
    }
    impl->width = width_;
    impl->height = height_;
    impl->rotation = rotation_;
    return SourceFrame(std::move(impl));
}

}  // namespace

SourceFrame::SourceFrame() = default;
SourceFrame::~SourceFrame() = default;
SourceFrame::SourceFrame(SourceFrame&&) noexcept = default;
SourceFrame& SourceFrame::operator=(SourceFrame&&) noexcept = default;
SourceFrame::SourceFrame(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<void> SourceFrame::to_bitmap(Bitmap& into) const {
    if (!impl_) return fail(Code::internal, "empty source frame");
    return convert_frame(impl_->frame.get(), impl_->width, impl_->height, impl_->rotation, thread_scalers(),
                         into);
}

int SourceFrame::width() const {
    return impl_ ? impl_->width : 0;
}

int SourceFrame::height() const {
    return impl_ ? impl_->height : 0;
}

bool SourceFrame::scales_to_yuv420(bool bt709) const {
    return impl_ && impl_->rotation == 0 && detail::scales_to_yuv420(impl_->frame.get(), bt709);
}

Result<void> SourceFrame::to_yuv420(const YuvView& into) const {
    if (!impl_) return fail(Code::internal, "empty source frame");
    if (into.width != impl_->width || into.height != impl_->height || impl_->rotation != 0) {
        return fail(Code::internal, "a source frame scales to YUV only unrotated, at its decoder's size");
    }
    return scale_to_yuv420(impl_->frame.get(), thread_scalers(), into);
}

Result<Bitmap> SourceFrame::to_bitmap() const {
    Bitmap out;
    if (auto converted = to_bitmap(out); !converted) return std::unexpected(converted.error());
    return out;
}

Result<std::unique_ptr<VideoDecoder>> VideoDecoder::open(const std::filesystem::path& path, int width,
                                                         int height, const InputLimits& limits,
                                                         Access access) {
    auto decoder = std::make_unique<LibavVideoDecoder>();
    if (auto started = decoder->start(path, width, height, limits, access); !started)
        return std::unexpected(started.error());
    return std::unique_ptr<VideoDecoder>(std::move(decoder));
}

}  // namespace vidgen::media
