#include "render/encoder_settings.hpp"

#include <cmath>

#include "render/plan.hpp"

namespace vidgen::render {

Fraction fps_fraction(double fps) {
    double whole = std::round(fps);
    if (std::abs(fps - whole) < 1e-6) return {static_cast<int>(whole), 1};
    double ntsc = std::round(fps * 1.001);
    if (std::abs(fps - ntsc / 1.001) < 1e-3) return {static_cast<int>(ntsc) * 1000, 1001};
    return {static_cast<int>(std::lround(fps * 1000)), 1000};
}

media::EncoderSettings encoder_settings(const Plan& plan, const std::filesystem::path& path, int threads) {
    const spec::Output& out = plan.spec.output;
    media::EncoderSettings s;
    s.path = path;
    s.width = out.width;
    s.height = out.height;
    Fraction fps = fps_fraction(out.fps);
    s.fps_num = fps.num;
    s.fps_den = fps.den;
    s.container = out.format == spec::Format::webm  ? media::Container::webm
                  : out.format == spec::Format::gif ? media::Container::gif
                                                    : media::Container::mp4;
    static constexpr int kCrf[] = {28, 23, 18};
    static constexpr const char* kPreset[] = {"ultrafast", "veryfast", "medium"};
    auto q = static_cast<int>(out.quality);
    s.crf = out.crf.value_or(kCrf[q]);
    s.preset = kPreset[q];
    s.audio = s.container != media::Container::gif && plan.has_audio;
    s.threads = threads;
    return s;
}

}  // namespace vidgen::render
