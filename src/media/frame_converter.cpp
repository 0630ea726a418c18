#include <algorithm>
#include <cstring>

extern "C" {
#include <libavutil/imgutils.h>
}

#include <fmt/format.h>

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

namespace {

struct BufferPoolDeleter {
    void operator()(AVBufferPool* pool) const { av_buffer_pool_uninit(&pool); }
};

// Frame buffers of one size, reused once the encoder lets go of them. The pool itself lives on until its
// last buffer is returned, so frames may outlive their converter.
struct FramePool {
    std::unique_ptr<AVBufferPool, BufferPoolDeleter> pool;
    int buffer_size = 0;
};

}  // namespace

struct FrameConverter::Impl {
    EncoderSettings settings;
    detail::SwsPtr sws;
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
    if (!pool.pool || pool.buffer_size != size) {
        pool.pool.reset(av_buffer_pool_init(std::size_t(size) + kAlign, av_buffer_alloc));
        pool.buffer_size = size;
    }
    frame->buf[0] = av_buffer_pool_get(pool.pool.get());
    if (!frame->buf[0]) return fail(Code::internal, "out of memory allocating a frame");
    av_image_fill_pointers(frame->data, format, height, frame->buf[0]->data, linesizes);
    std::copy(std::begin(linesizes), std::end(linesizes), frame->linesize);
    return frame;
}

Result<detail::SwsPtr> make_yuv_scaler(const EncoderSettings& settings) {
    detail::SwsPtr sws(sws_getContext(settings.width, settings.height, detail::kArgb32, settings.width,
                                      settings.height, AV_PIX_FMT_YUV420P, SWS_BILINEAR, nullptr, nullptr,
                                      nullptr));
    if (!sws) return fail(Code::internal, "cannot create the ARGB to YUV converter");
    const auto tags = detail::colour_tags(settings.height);
    const int* coefficients = sws_getCoefficients(tags.sws_coefficients);
    sws_setColorspaceDetails(sws.get(), coefficients, 1, coefficients, 0, 0, 1 << 16, 1 << 16);
    return sws;
}

void tag_colour(AVFrame* frame, int height) {
    const auto tags = detail::colour_tags(height);
    frame->color_primaries = tags.primaries;
    frame->color_trc = tags.transfer;
    frame->colorspace = tags.space;
    frame->color_range = tags.range;
}

}  // namespace

Result<VideoFrame> FrameConverter::convert(const Bitmap& bitmap) {
    const auto& s = impl_->settings;
    if (bitmap.width() != s.width || bitmap.height() != s.height) {
        return fail(Code::internal, fmt::format("frame is {}x{}, the encoder wants {}x{}", bitmap.width(),
                                                bitmap.height(), s.width, s.height));
    }
    const bool gif = s.container == Container::gif;
    auto frame = allocate_frame(impl_->frames, s.width, s.height, gif ? detail::kArgb32 : AV_PIX_FMT_YUV420P);
    if (!frame) return std::unexpected(frame.error());
    if (gif) {
        for (int y = 0; y < s.height; ++y) {
            std::memcpy((*frame)->data[0] + std::ptrdiff_t(y) * (*frame)->linesize[0], bitmap.row(y),
                        std::size_t(bitmap.stride()));
        }
    } else {
        if (!impl_->sws) {
            auto sws = make_yuv_scaler(s);
            if (!sws) return std::unexpected(sws.error());
            impl_->sws = std::move(*sws);
        }
        const std::uint8_t* src[4] = {bitmap.data(), nullptr, nullptr, nullptr};
        const int src_stride[4] = {bitmap.stride(), 0, 0, 0};
        sws_scale(impl_->sws.get(), src, src_stride, 0, s.height, (*frame)->data, (*frame)->linesize);
        tag_colour(frame->get(), s.height);
    }
    VideoFrame out;
    out.impl()->frame = std::move(*frame);
    return out;
}

}  // namespace vidgen::media
