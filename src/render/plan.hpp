// The resolved timeline a render works from: every clip with absolute times, its resolved source file,
// its box and pre-rasterised content, plus the mixed audio of the rendered range.
// Built once by build_plan(); immutable afterwards, so any number of renders may read it concurrently,
// except that images are decoded when first drawn and dropped by keep_images_for (see render/plan_raster).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "core/error.hpp"
#include "render/audio_mix.hpp"
#include "render/layout.hpp"
#include "render/plan_raster.hpp"
#include "render/render.hpp"
#include "spec/model.hpp"

namespace vidgen::render {

enum class ClipKind { image, video, text, shape, color, audio };

const char* kind_name(ClipKind kind);

struct PlannedClip {
    const spec::Clip* clip = nullptr;  // points into Plan::spec
    ClipKind kind = ClipKind::color;
    int track = 0;
    double start = 0, end = 0;                     // absolute seconds on the timeline
    std::filesystem::path source;                  // resolved local file (image, video, audio)
    double source_duration = 0;                    // seconds (video, audio)
    double source_fps = 0;                         // video
    double box_w = 0, box_h = 0;                   // the clip's box in px, before its transform
    Rect content;                                  // where the content's pixels sit, in box px
    double oversample = 1;                         // content pixels per box px (the largest zoom × scale)
    Raster raster;                                 // static content; empty when drawn per frame
    bool clip_to_box = true;                       // content outside the box is hidden
    bool animated = false;                         // anything about its pixels changes over time
    std::optional<double> text_box_w, text_box_h;  // text: the box given to the layout (re-rasterising)
};

class Plan {
  public:
    Plan() = default;
    Plan(const Plan&) = delete;
    Plan& operator=(const Plan&) = delete;

    spec::Spec spec;
    std::filesystem::path base_dir;
    media::InputLimits limits;
    std::vector<PlannedClip> clips;  // drawing order: tracks bottom to top, by start within a track
    std::vector<std::shared_ptr<ImageSlot>> images;  // images decoded on demand (none with shared_images)
    std::filesystem::path soundtrack;                // resolved soundtrack file, empty when none
    std::vector<AudioPlacement> audio;               // every sound, mixed while rendering (AudioMixer)
    bool has_audio = false;                          // some clip or the soundtrack has sound
    double timeline_duration = 0;
    double range_start = 0;  // first rendered second of the timeline
    double duration = 0;     // frames / fps
    long frames = 0;
    std::vector<Error> warnings;

    int width() const { return spec.output.width; }
    int height() const { return spec.output.height; }
    double fps() const { return spec.output.fps; }
};

// Resolves sources, times, layout and rasters of `spec` (see render::plan for the contract). Images drawn
// in the first second of the rendered range are decoded here, the others when first needed.
Result<std::shared_ptr<const Plan>> build_plan(const spec::Spec& spec, const RenderOptions& options);

// A mixer of the plan's sound over its rendered range, from its start. The plan must outlive it.
inline AudioMixer audio_mixer(const Plan& plan) {
    return AudioMixer(plan.audio, plan.range_start, plan.duration, plan.limits);
}

// How far ahead of its first frame keep_images_for starts decoding an image.
constexpr double kImageLead = 1.0;

// The caller has drawn every frame of `plan` before `seconds` and draws the later ones in order: images
// that no clip draws from `seconds` on are dropped, and those drawn within kImageLead of it are decoded
// in the background. Thread-safe; an image dropped too early is only decoded again.
void keep_images_for(const Plan& plan, double seconds);

}  // namespace vidgen::render
