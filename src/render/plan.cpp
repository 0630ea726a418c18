#include "render/plan.hpp"

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <mutex>
#include <tuple>

#include <fmt/format.h>

#include "media/audio_decoder.hpp"
#include "media/image.hpp"
#include "media/probe.hpp"
#include "render/audio_mix.hpp"
#include "render/plan_visual.hpp"
#include "render/sources.hpp"
#include "render/timing.hpp"

namespace vidgen::render {
namespace {

struct Probed {
    std::filesystem::path path;
    double duration = 0, fps = 0;
    SourceInfo size;
    bool has_audio = false;
};

ClipKind kind_of(const spec::Asset& asset) {
    return static_cast<ClipKind>(asset.index());  // the variant's order matches ClipKind
}

const spec::Source* source_of(const spec::Clip& clip) {
    if (auto* a = std::get_if<spec::ImageAsset>(&clip.asset)) return &a->src;
    if (auto* a = std::get_if<spec::VideoAsset>(&clip.asset)) return &a->src;
    if (auto* a = std::get_if<spec::AudioAsset>(&clip.asset)) return &a->src;
    return nullptr;
}

void warn_video(const media::StreamInfo& v, const spec::Source& src, std::vector<Error>& warnings) {
    if (v.variable_frame_rate)
        warnings.push_back({Code::unsupported,
                            "variable frame rate source: frames are sampled at its average rate",
                            src.pointer});
    if (v.rotation != 0)
        warnings.push_back({Code::unsupported,
                            fmt::format("source is rotated {}°; drawn upright", v.rotation), src.pointer});
}

Result<Probed> probe_media(const spec::Source& src, ClipKind kind, const RenderOptions& options,
                           std::vector<Error>& warnings) {
    Probed p;
    auto path = resolve_source(src, options);
    if (!path) return std::unexpected(path.error());
    p.path = *path;
    if (kind == ClipKind::image) {
        auto info = media::probe_image(p.path, options.input);
        if (!info) return fail(info.error().code, info.error().message, src.pointer);
        p.size = {double(info->width), double(info->height)};
        return p;
    }
    auto info = media::probe(p.path, options.input);
    if (!info) return fail(info.error().code, info.error().message, src.pointer);
    p.duration = info->duration;
    p.has_audio = info->audio() != nullptr;
    if (const media::StreamInfo* v = info->video()) {
        bool turned = v->rotation == 90 || v->rotation == 270;
        p.size = {double(turned ? v->height : v->width), double(turned ? v->width : v->height)};
        p.fps = v->fps;
        warn_video(*v, src, warnings);
    } else if (kind == ClipKind::video) {
        return fail(Code::invalid_argument, "source has no video stream", src.pointer);
    }
    return p;
}

using ProbeTable = std::vector<std::vector<Probed>>;

// Planning's looks at options.cancel, from any of its threads. A caller may raise the flag from its
// progress callback (the job runner does), so each look first reports progress with nothing to encode
// yet (frames_total 0): at most every 100 ms, and never from two threads at once.
class CancelWatch {
  public:
    explicit CancelWatch(const RenderOptions& options) : options_(options) {}

    bool canceled() {
        if (options_.on_progress && mutex_.try_lock()) {
            std::lock_guard lock(mutex_, std::adopt_lock);
            if (auto now = Steady::now(); now - reported_ >= kProgressEvery) {
                reported_ = now;
                options_.on_progress({});
            }
        }
        return options_.cancel && options_.cancel->load();
    }

    Result<void> stop_point() {
        if (canceled()) return fail(Code::canceled, "render canceled");
        return {};
    }

  private:
    using Steady = std::chrono::steady_clock;
    static constexpr auto kProgressEvery = std::chrono::milliseconds(100);

    const RenderOptions& options_;
    std::mutex mutex_;             // one progress report at a time
    Steady::time_point reported_;  // guarded by mutex_
};

// Runs fn(i) for i in [0, n) on up to `threads` threads (0 = all cores).
template <typename F>
void for_each_index(std::size_t n, int threads, F&& fn) {
    oneapi::tbb::task_arena arena(threads > 0 ? threads : oneapi::tbb::task_arena::automatic);
    arena.execute([&] { oneapi::tbb::parallel_for(std::size_t(0), n, fn); });
}

struct ClipRef {
    std::size_t track = 0, clip = 0;
};

std::vector<ClipRef> clip_refs(const spec::Timeline& timeline) {
    std::vector<ClipRef> refs;
    for (std::size_t t = 0; t < timeline.tracks.size(); ++t)
        for (std::size_t c = 0; c < timeline.tracks[t].clips.size(); ++c) refs.push_back({t, c});
    return refs;
}

// For each clip, the first clip using the same source the same way (itself when none earlier does), so
// each source is fetched and probed once.
std::vector<std::size_t> source_owners(const spec::Timeline& timeline, const std::vector<ClipRef>& refs) {
    std::map<std::string, std::size_t> first;
    std::vector<std::size_t> owners(refs.size());
    for (std::size_t i = 0; i < refs.size(); ++i) {
        const spec::Clip& clip = timeline.tracks[refs[i].track].clips[refs[i].clip];
        const spec::Source* src = source_of(clip);
        std::string key =
            src ? fmt::format("{}:{}", clip.asset.index() == 0 ? "image" : "media", src->uri) : "";
        owners[i] = src ? first.try_emplace(key, i).first->second : i;
    }
    return owners;
}

// Resolves and probes the clips' sources in parallel (fetches of remote sources overlap).
Result<ProbeTable> probe_all(const spec::Timeline& timeline, const RenderOptions& options,
                             CancelWatch& cancel, std::vector<Error>& warnings) {
    auto refs = clip_refs(timeline);
    auto owners = source_owners(timeline, refs);
    std::vector<Result<Probed>> results(refs.size());
    std::vector<std::vector<Error>> clip_warnings(refs.size());
    for_each_index(refs.size(), options.threads, [&](std::size_t i) {
        const spec::Clip& clip = timeline.tracks[refs[i].track].clips[refs[i].clip];
        const spec::Source* src = source_of(clip);
        if (!src || owners[i] != i) return;
        if (cancel.canceled())
            results[i] = fail(Code::canceled, "render canceled");
        else
            results[i] = probe_media(*src, kind_of(clip.asset), options, clip_warnings[i]);
    });
    ProbeTable table(timeline.tracks.size());
    for (std::size_t i = 0; i < refs.size(); ++i) {
        const auto& result = results[owners[i]];
        if (!result) return std::unexpected(result.error());
        table[refs[i].track].push_back(*result);
        warnings.insert(warnings.end(), clip_warnings[i].begin(), clip_warnings[i].end());
    }
    return table;
}

std::vector<std::vector<double>> durations(const ProbeTable& table) {
    std::vector<std::vector<double>> out;
    for (const auto& row : table) {
        auto& d = out.emplace_back();
        for (const auto& p : row) d.push_back(p.duration);
    }
    return out;
}

PlannedClip timed_clip(const spec::Clip& clip, std::size_t track, const Probed& probed, ClipTime time) {
    PlannedClip pc;
    pc.clip = &clip;
    pc.kind = kind_of(clip.asset);
    pc.track = static_cast<int>(track);
    pc.start = time.start;
    pc.end = time.end;
    pc.source = probed.path;
    pc.source_duration = probed.duration;
    pc.source_fps = probed.fps;
    return pc;
}

// Lays out and rasterises every clip in parallel, then orders them for drawing.
Result<void> plan_clips(Plan& plan, const ProbeTable& probed, const Timing& timing,
                        const RenderOptions& options, CancelWatch& cancel) {
    const int threads = options.threads;
    auto refs = clip_refs(plan.spec.timeline);
    std::vector<PlannedClip> clips;
    clips.reserve(refs.size());
    for (auto [t, c] : refs)
        clips.push_back(
            timed_clip(plan.spec.timeline.tracks[t].clips[c], t, probed[t][c], timing.clips[t][c]));
    std::vector<Result<void>> results(refs.size());
    std::vector<std::vector<Error>> warnings(refs.size());
    ImageSlots own;
    ImageSources images{options.shared_images.get(), own};
    for_each_index(refs.size(), threads, [&](std::size_t i) {
        if (cancel.canceled())
            results[i] = fail(Code::canceled, "render canceled");
        else
            results[i] =
                plan_visual(clips[i], probed[refs[i].track][refs[i].clip].size, plan, images, warnings[i]);
    });
    for (std::size_t i = 0; i < refs.size(); ++i) {
        if (!results[i]) return results[i];
        plan.warnings.insert(plan.warnings.end(), warnings[i].begin(), warnings[i].end());
    }
    std::stable_sort(clips.begin(), clips.end(), [](auto& a, auto& b) {
        return std::tie(a.track, a.start) < std::tie(b.track, b.start);
    });
    plan.clips = std::move(clips);
    plan.images = own.all();
    return {};
}

// Decodes the images drawn in the first kImageLead seconds of the rendered range (in parallel).
Result<void> decode_first_images(const Plan& plan) {
    std::vector<ImageSlot*> first;
    for (const auto& slot : plan.images)
        if (slot->needed(plan.range_start, kImageLead)) first.push_back(slot.get());
    for (ImageSlot* slot : first) slot->prefetch();
    for (ImageSlot* slot : first)
        if (auto pixels = slot->get(); !pixels) return std::unexpected(pixels.error());
    return {};
}

void set_range(Plan& plan) {
    const spec::Output& out = plan.spec.output;
    double start = 0, length = plan.timeline_duration;
    if (out.range) {
        start = std::clamp(out.range->start, 0.0, plan.timeline_duration);
        length = std::min(out.range->length, plan.timeline_duration - start);
    }
    plan.range_start = start;
    plan.frames = std::max(1L, std::lround(length * out.fps));
    plan.duration = plan.frames / out.fps;
}

// The soundtrack (when any) first, then every audio clip and video clip's own sound.
std::vector<AudioPlacement> audio_placements(const Plan& plan, const Probed& soundtrack) {
    std::vector<AudioPlacement> out;
    if (const auto& s = plan.spec.timeline.soundtrack)
        out.push_back(
            {soundtrack.path, 0, plan.timeline_duration, 0, 1, s->loop, soundtrack.duration, s->audio});
    for (const PlannedClip& pc : plan.clips) {
        if (auto* a = std::get_if<spec::AudioAsset>(&pc.clip->asset))
            out.push_back(
                {pc.source, pc.start, pc.end, a->trim, a->speed, a->loop, pc.source_duration, a->audio});
        else if (auto* v = std::get_if<spec::VideoAsset>(&pc.clip->asset))
            out.push_back(
                {pc.source, pc.start, pc.end, v->trim, v->speed, v->loop, pc.source_duration, v->audio});
    }
    return out;
}

// The largest absolute sample of the plan's mix, mixed a second at a time and let go.
Result<float> mix_peak(const Plan& plan) {
    AudioMixer mixer = audio_mixer(plan);
    while (true) {
        auto chunk = mixer.next(media::kMixRate);
        if (!chunk) return std::unexpected(chunk.error());
        if (chunk->empty()) return mixer.peak();
    }
}

Result<void> plan_audio(Plan& plan, const RenderOptions& options, const ProbeTable& probed) {
    Probed soundtrack;
    if (const auto& s = plan.spec.timeline.soundtrack) {
        auto p = probe_media(s->src, ClipKind::audio, options, plan.warnings);
        if (!p) return std::unexpected(p.error());
        soundtrack = std::move(*p);
        plan.soundtrack = soundtrack.path;
    }
    plan.has_audio = soundtrack.has_audio;
    for (const auto& row : probed)
        for (const auto& p : row) plan.has_audio = plan.has_audio || p.has_audio;
    plan.audio = audio_placements(plan, soundtrack);
    auto peak = mix_peak(plan);
    if (!peak) return std::unexpected(peak.error());
    if (*peak > 1.0f)
        plan.warnings.push_back(
            {Code::invalid_argument,
             fmt::format("the audio mix peaks at {:.2f} and will clip; lower some volumes", *peak),
             "/timeline"});
    return {};
}

}  // namespace

const char* kind_name(ClipKind kind) {
    static constexpr const char* kNames[] = {"image", "video", "text", "shape", "color", "audio"};
    return kNames[static_cast<int>(kind)];
}

void keep_images_for(const Plan& plan, double seconds) {
    for (const auto& slot : plan.images) {
        if (slot->needed(seconds, kImageLead))
            slot->prefetch();
        else
            slot->drop();
    }
}

Result<std::shared_ptr<const Plan>> build_plan(const spec::Spec& spec, const RenderOptions& options) {
    if (auto started = media::init_images(); !started) return std::unexpected(started.error());
    auto plan = std::make_shared<Plan>();
    plan->spec = spec;
    plan->base_dir = options.base_dir;
    plan->limits = options.input;
    CancelWatch cancel(options);
    auto probed = probe_all(plan->spec.timeline, options, cancel, plan->warnings);
    if (!probed) return std::unexpected(probed.error());
    auto timing = resolve_times(plan->spec.timeline, durations(*probed));
    if (!timing) return std::unexpected(timing.error());
    plan->timeline_duration = timing->duration;
    set_range(*plan);
    if (auto go_on = cancel.stop_point(); !go_on) return std::unexpected(go_on.error());
    if (auto clips = plan_clips(*plan, *probed, *timing, options, cancel); !clips)
        return std::unexpected(clips.error());
    if (auto images = decode_first_images(*plan); !images) return std::unexpected(images.error());
    if (auto go_on = cancel.stop_point(); !go_on) return std::unexpected(go_on.error());
    if (auto audio = plan_audio(*plan, options, *probed); !audio) return std::unexpected(audio.error());
    return std::shared_ptr<const Plan>(std::move(plan));
}

}  // namespace vidgen::render
