// Helpers shared by the render tests: small specs built in C++, pixel reading, temporary folders.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "core/scratch_dir.hpp"
#include "media/bitmap.hpp"
#include "render/compose.hpp"
#include "render/frame_state.hpp"
#include "render/plan.hpp"
#include "render/render.hpp"
#include "spec/model.hpp"

namespace vidgen::render::testing {

inline spec::Color rgb(double r, double g, double b, double a = 1) {
    return {r, g, b, a};
}

inline spec::Spec small_spec(int width = 64, int height = 48, double fps = 10) {
    spec::Spec s;
    s.output.width = width;
    s.output.height = height;
    s.output.fps = fps;
    s.timeline.background = rgb(0, 0, 0);
    return s;
}

inline spec::Clip color_clip(spec::Color colour, double start, double length) {
    spec::Clip c;
    c.asset = spec::ColorAsset{{colour, {}}};
    c.start = spec::Time::at(start);
    c.length = spec::Time::at(length);
    return c;
}

// Adds a track holding `clips`, numbering their pointers.
inline void add_track(spec::Spec& s, std::vector<spec::Clip> clips) {
    std::size_t t = s.timeline.tracks.size();
    for (std::size_t i = 0; i < clips.size(); ++i)
        clips[i].pointer = "/timeline/tracks/" + std::to_string(t) + "/clips/" + std::to_string(i);
    s.timeline.tracks.push_back({std::move(clips)});
}

struct Pixel {
    int r = 0, g = 0, b = 0, a = 0;
};

// The premultiplied channels of one pixel, 0..255.
inline Pixel pixel(const media::Bitmap& bitmap, int x, int y) {
    std::uint32_t p = bitmap.row(y)[x];
    return {int((p >> 16) & 255), int((p >> 8) & 255), int(p & 255), int(p >> 24)};
}

// Largest channel difference between a pixel and an expected colour in 0..1 (opaque).
inline int channel_error(Pixel p, spec::Color want) {
    auto diff = [](int got, double w) { return std::abs(got - int(std::lround(w * 255))); };
    return std::max({diff(p.r, want.r), diff(p.g, want.g), diff(p.b, want.b)});
}

// Largest channel error tolerated on flat colours (Cairo rounding of premultiplied values).
constexpr int kFlat = 2;

// The plan of a spec that must plan; a failure ends the test with its message.
inline PlanHandle planned(const spec::Spec& s, const RenderOptions& options = {}) {
    auto p = plan(s, options);
    if (!p) throw std::runtime_error(p.error().to_string());
    return *p;
}

// Composes the frame showing at `t` (no video clips).
inline media::Bitmap frame_at(const PlanHandle& handle, double t) {
    const Plan& plan = *handle.plan;
    media::Bitmap out(plan.width(), plan.height());
    auto composed = compose(plan, sample_frame(plan, t), {}, out);
    if (!composed) throw std::runtime_error(composed.error().to_string());
    return out;
}

// A fresh folder under the system temp dir, removed when the object goes.
class TempDir {
  public:
    const std::filesystem::path& path() const { return dir_.path(); }

  private:
    ScratchDir dir_ = *ScratchDir::create("vidgen-render");
};

}  // namespace vidgen::render::testing
