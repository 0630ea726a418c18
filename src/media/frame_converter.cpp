#include <algorithm>
#include <cstring>
#include <mutex>

extern "C" {
#include <libavutil/imgutils.h>
}

#include <fmt/format.h>

#include "media/detail/argb_to_yuv.hpp"
#include "media/detail/frames.hpp"
#include "media/encoder.hpp"

namespace vidgen::media {

using detail::FramePtr;

VideoFrame::VideoFrame() : impl_(std::make_unique<Impl>()) {}
VideoFrame::~VideoFrame() = default;
VideoFrame::VideoFrame(VideoFrame&&) noexcept = default;
VideoFrame& VideoFrame::operator=(VideoFrame&&) noexcept = default;

VideoFrame VideoFrame::share() const {
    VideoFrame copy;
    if (impl_ && impl_->frame) copy.impl_->frame = FramePtr(av_frame_clone(impl_->frame.get()));
    return copy;
}

YuvView VideoFrame::yuv() const {
    const AVFrame* f = impl_ && impl_->frame ? impl_->frame.get() : nullptr;
    if (!f || f->format != AV_PIX_FMT_YUV420P) return {};
    return {f->data[0],     f->data[1],     f->data[2], f->linesize[0],
            f->linesize[1], f->linesize[2], f->width,   f->height};
}

namespace {

struct BufferPoolDeleter {
    void operator()(AVBufferPool* pool) const { av_buffer_pool_uninit(&pool); }
};

// Frame buffers of one size, reused once the encoder lets go of them. The pool itself lives on until its
// last buffer is returned, so frames may outlive their converter.
struct FramePool {
    std::mutex mutex;  // guards pool and buffer_size (av_buffer_pool_get itself is thread-safe)
    std::unique_ptr<AVBufferPool, BufferPoolDeleter> pool;
    int buffer_size = 0;
};

}  // namespace

struct FrameConverter::Impl {
    EncoderSettings settings;
    FramePool frames;  // so a render does not map and clear fresh memory for every frame
};

FrameConverter::FrameConverter(const EncoderSettings& settings) : impl_(std::make_unique<Impl>()) {
    impl_->settings = settings;
}

FrameConverter::~FrameConverter() = default;

namespace {

constexpr int kAlign = 64;  // enough for every SIMD width libav uses

// A frame whose planes live in one buffer from `pool` (made on first use for this size and format).
Result<FramePtr> allocate_frame(FramePool& pool, int width, int height, AVPixelFormat format) {
    FramePtr frame = detail::make_frame();
    if (!frame) return fail(Code::internal, "out of memory allocating a frame");
    frame->width = width;
    frame->height = height;
    frame->format = format;
    int linesizes[4] = {};
    if (int err = av_image_fill_linesizes(linesizes, format, FFALIGN(width, kAlign)); err < 0) {
        return fail(Code::internal, "frame layout: " + detail::av_error_text(err));
    }
    const int size = av_image_fill_pointers(frame->data, format, height, nullptr, linesizes);
    if (size < 0) return fail(Code::internal, "frame layout: " + detail::av_error_text(size));
    {
        std::lock_guard lock(pool.mutex);
        if (!pool.pool || pool.buffer_size != size) {
            pool.pool.reset(av_buffer_pool_init(std::size_t(size) + kAlign, av_buffer_alloc));
            pool.buffer_size = size;
        }
        frame->buf[0] = av_buffer_pool_get(pool.pool.get());
    }
    if (!frame->buf[0]) return fail(Code::internal, "out of memory allocating a frame");
    av_image_fill_pointers(frame->data, format, height, frame->buf[0]->data, linesizes);
    std::copy(std::begin(linesizes), std::end(linesizes), frame->linesize);
    return frame;
}

void tag_colour(AVFrame* frame, int height) {
    const auto tags = detail::colour_tags(height);
    frame->color_primaries = tags.primaries;
    frame->color_trc = tags.transfer;
    frame->colorspace = tags.space;
    frame->color_range = tags.range;
}

}  // namespace

Result<VideoFrame> FrameConverter::blank_frame() {
    const auto& s = impl_->settings;
    if (s.container == Container::gif) return fail(Code::internal, "GIF frames are ARGB32, not YUV");
    if (s.width % 2 || s.height % 2) {
        return fail(Code::invalid_argument,
                    fmt::format("YUV 4:2:0 needs an even size, not {}x{}", s.width, s.height));
    }
    auto frame = allocate_frame(impl_->frames, s.width, s.height, AV_PIX_FMT_YUV420P);
    if (!frame) return std::unexpected(frame.error());
    tag_colour(frame->get(), s.height);
    VideoFrame out;
    out.impl()->frame = std::move(*frame);
    return out;
}

Result<VideoFrame> FrameConverter::convert(const Bitmap& bitmap) {
    const auto& s = impl_->settings;
    if (bitmap.width() != s.width || bitmap.height() != s.height) {
        return fail(Code::internal, fmt::format("frame is {}x{}, the encoder wants {}x{}", bitmap.width(),
                                                bitmap.height(), s.width, s.height));
    }
    const bool gif = s.container == Container::gif;
    if (!gif && (s.width % 2 || s.height % 2)) {
        return fail(Code::invalid_argument,
                    fmt::format("YUV 4:2:0 needs an even size, not {}x{}", s.width, s.height));
    }
    auto frame = allocate_frame(impl_->frames, s.width, s.height, gif ? detail::kArgb32 : AV_PIX_FMT_YUV420P);
    if (!frame) return std::unexpected(frame.error());
    if (gif) {
        for (int y = 0; y < s.height; ++y) {
            std::memcpy((*frame)->data[0] + std::ptrdiff_t(y) * (*frame)->linesize[0], bitmap.row(y),
                        std::size_t(bitmap.stride()));
        }
    } else {
        AVFrame* f = frame->get();
        const detail::YuvPlanes planes{f->data[0],     f->data[1],     f->data[2],
                                       f->linesize[0], f->linesize[1], f->linesize[2]};
        detail::argb_to_yuv420(bitmap.data(), bitmap.stride(), s.width, s.height,
                               detail::colour_tags(s.height).space == AVCOL_SPC_BT709, planes);
        tag_colour(frame->get(), s.height);
    }
    VideoFrame out;
    out.impl()->frame = std::move(*frame);
    return out;
}

}  // namespace vidgen::media
