#include <cstring>

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

struct FrameConverter::Impl {
    EncoderSettings settings;
    detail::SwsPtr sws;
};

FrameConverter::FrameConverter(const EncoderSettings& settings) : impl_(std::make_unique<Impl>()) {
    impl_->settings = settings;
}

FrameConverter::~FrameConverter() = default;

namespace {

Result<FramePtr> allocate_frame(int width, int height, AVPixelFormat format) {
    FramePtr frame = detail::make_frame();
    if (!frame) return fail(Code::internal, "out of memory allocating a frame");
    frame->width = width;
    frame->height = height;
    frame->format = format;
    if (int err = av_frame_get_buffer(frame.get(), 0); err < 0) {
        return fail(Code::internal, "frame buffer: " + detail::av_error_text(err));
    }
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
    auto frame = allocate_frame(s.width, s.height, gif ? detail::kArgb32 : AV_PIX_FMT_YUV420P);
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
