// Composing in YUV (plain video layers scaled straight into the output frame, other layers blended over
// their bounds) against the RGB path (compose() then FrameConverter): the same picture within a PSNR.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <cmath>

#include "media/encoder.hpp"
#include "render/video_sources.hpp"
#include "render/yuv_compose.hpp"
#include "spec/parse.hpp"
#include "support.hpp"

namespace vidgen::render {
namespace {

// Both paths scale the same decoded frames with swscale's bilinear filter; they differ in where chroma
// is resampled (in YUV, or upsampled to RGB and averaged back), in rounding, and in the RGB path's
// clipping of colours outside RGB. Measured here: Y 43.7, U 55.4, V 49.0 dB at 1280x720 (on the
// saturated test pattern of bench/render's S3, rendered losslessly both ways: Y 40.0, U 36.6, V 31.8).
constexpr double kMinPsnr = 40;

// A moving, many-coloured source video `w` × `h`, one second at 10 fps.
std::filesystem::path make_source(const std::filesystem::path& dir, int w, int h) {
    auto json = fmt::format(R"({{
      "output": {{"width": {0}, "height": {1}, "fps": 10, "format": "mp4"}},
      "timeline": {{"background": "#305080", "tracks": [
        {{"clips": [{{"type": "shape", "shape": "ellipse", "fill": "#E0C020", "start": 0, "length": 1,
                     "width": "40%", "height": "60%",
                     "x": [{{"time": 0, "value": "-20%"}}, {{"time": 1, "value": "20%"}}]}}]}},
        {{"clips": [{{"type": "text", "text": "Wg 42", "start": 0, "length": 1,
                     "style": {{"font": "DejaVu Sans", "size": {2}, "color": "#20F0A0"}}}}]}}
      ]}}
    }})",
                            w, h, h / 3);
    auto parsed = spec::parse(json);
    if (!parsed) throw std::runtime_error(parsed.error().errors.front().to_string());
    auto path = dir / "source.mp4";
    auto rendered = render(testing::planned(*parsed), path, {});
    if (!rendered) throw std::runtime_error(rendered.error().to_string());
    return path;
}

// The picture-in-picture scene of bench/scenes/s3.json at w × h, over `dir`/source.mp4.
PlanHandle pip_plan(const std::filesystem::path& dir, int w, int h, const char* base_extra = "") {
    auto json = fmt::format(R"({{
      "output": {{"width": {0}, "height": {1}, "fps": 10, "format": "mp4"}},
      "timeline": {{"tracks": [
        {{"clips": [{{"type": "video", "src": "source.mp4", "start": 0, "length": 1, "fit": "fill"{4}}}]}},
        {{"clips": [{{"type": "video", "src": "source.mp4", "start": 0, "length": 1, "fit": "fill",
                     "position": "top-right", "x": -{2}, "y": {2}, "width": {3}, "height": {3}}}]}},
        {{"clips": [{{"type": "shape", "shape": "rectangle", "fill": "#1060C0D9", "start": 0, "length": 1,
                     "position": "bottom-left", "y": "-15%", "width": "100%", "height": "14%"}}]}},
        {{"clips": [{{"type": "text", "text": "Ada Lovelace", "start": 0, "length": 1,
                     "position": "bottom-left", "x": "4%", "y": "-15%", "height": "14%",
                     "style": {{"font": "DejaVu Sans", "weight": "bold", "size": {5}, "color": "#FFFFFF"}}}}]}}
      ]}}
    }})",
                            w, h, h / 20 * 2, "\"25%\"", base_extra, h / 16);
    auto parsed = spec::parse(json);
    if (!parsed) throw std::runtime_error(parsed.error().errors.front().to_string());
    RenderOptions options;
    options.base_dir = dir;
    return testing::planned(*parsed, options);
}

double plane_psnr(const std::uint8_t* a, int a_stride, const std::uint8_t* b, int b_stride, int w, int h) {
    double sum = 0;
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            double d = double(a[std::ptrdiff_t(y) * a_stride + x]) - b[std::ptrdiff_t(y) * b_stride + x];
            sum += d * d;
        }
    }
    double mse = sum / (double(w) * h);
    return mse == 0 ? 99 : 10 * std::log10(255.0 * 255.0 / mse);
}

struct Frames {
    media::VideoFrame yuv, rgb;
};

// The frame at `t` composed both ways.
Frames compose_both(const Plan& plan, double t, bool& in_yuv) {
    media::EncoderSettings settings;
    settings.width = plan.width();
    settings.height = plan.height();
    media::FrameConverter converter(settings);
    const bool bt709 = media::uses_bt709(plan.height());
    FrameState state = sample_frame(plan, t);
    VideoSources sources(plan);
    auto videos = sources.frames(state);
    if (!videos) throw std::runtime_error(videos.error().to_string());
    in_yuv = composes_in_yuv(plan, state, *videos, bt709);
    Frames out{*converter.blank_frame(), {}};
    YuvScratch scratch;
    if (in_yuv && !compose_yuv(plan, state, *videos, bt709, out.yuv.yuv(), scratch))
        throw std::runtime_error("compose_yuv failed");
    std::vector<media::Bitmap> bitmaps;
    if (!convert_frames(*videos, bitmaps)) throw std::runtime_error("convert_frames failed");
    media::Bitmap canvas(plan.width(), plan.height());
    if (!compose(plan, state, frame_pointers(bitmaps), canvas)) throw std::runtime_error("compose failed");
    out.rgb = *converter.convert(canvas);
    return out;
}

class YuvCompose : public ::testing::TestWithParam<std::pair<int, int>> {};

TEST_P(YuvCompose, LooksLikeTheRgbPath) {
    auto [w, h] = GetParam();
    testing::TempDir dir;
    make_source(dir.path(), w, h);
    auto handle = pip_plan(dir.path(), w, h);
    for (double t : {0.0, 0.55}) {
        bool in_yuv = false;
        Frames f = compose_both(*handle.plan, t, in_yuv);
        ASSERT_TRUE(in_yuv) << "t=" << t;
        media::YuvView a = f.yuv.yuv(), b = f.rgb.yuv();
        double y = plane_psnr(a.y, a.y_stride, b.y, b.y_stride, w, h);
        double u = plane_psnr(a.u, a.u_stride, b.u, b.u_stride, w / 2, h / 2);
        double v = plane_psnr(a.v, a.v_stride, b.v, b.v_stride, w / 2, h / 2);
        EXPECT_GE(y, kMinPsnr) << w << "x" << h << " t=" << t;
        EXPECT_GE(u, kMinPsnr) << w << "x" << h << " t=" << t;
        EXPECT_GE(v, kMinPsnr) << w << "x" << h << " t=" << t;
    }
}

INSTANTIATE_TEST_SUITE_P(Sizes, YuvCompose, ::testing::Values(std::pair{256, 144}, std::pair{1280, 720}));

// From a source 1.5 × the output (1080p into 720p), the YUV path scales with the area mean
// (media/detail/plane_downscale) and the RGB path with swscale's bilinear filter, which blurs a little
// more: measured here Y 46.3, U 45.3, V 43.4 dB.
TEST(YuvComposeFromALargerSource, LooksLikeTheRgbPath) {
    testing::TempDir dir;
    make_source(dir.path(), 384, 216);
    auto handle = pip_plan(dir.path(), 256, 144);
    bool in_yuv = false;
    Frames f = compose_both(*handle.plan, 0.55, in_yuv);
    ASSERT_TRUE(in_yuv);
    media::YuvView a = f.yuv.yuv(), b = f.rgb.yuv();
    EXPECT_GE(plane_psnr(a.y, a.y_stride, b.y, b.y_stride, 256, 144), kMinPsnr);
    EXPECT_GE(plane_psnr(a.u, a.u_stride, b.u, b.u_stride, 128, 72), kMinPsnr);
    EXPECT_GE(plane_psnr(a.v, a.v_stride, b.v, b.v_stride, 128, 72), kMinPsnr);
}

TEST(YuvComposeChoice, FramesWhoseBottomVideoIsNotPlainStayInRgb) {
    testing::TempDir dir;
    make_source(dir.path(), 256, 144);
    for (const char* extra : {R"(, "opacity": 0.5)", R"(, "scale": 1.5)", R"(, "radius": 8)", R"(, "x": 1)",
                              R"(, "transition": {"in": {"type": "fade", "duration": 0.5}})"}) {
        auto handle = pip_plan(dir.path(), 256, 144, extra);
        bool in_yuv = true;
        compose_both(*handle.plan, 0.2, in_yuv);
        EXPECT_FALSE(in_yuv) << extra;
    }
}

}  // namespace
}  // namespace vidgen::render
