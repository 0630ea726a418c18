#include "render/plan.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

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

Result<ProbeTable> probe_all(const spec::Timeline& timeline, const RenderOptions& options,
                             std::vector<Error>& warnings) {
    ProbeTable table;
    for (const spec::Track& track : timeline.tracks) {
        auto& row = table.emplace_back();
        for (const spec::Clip& clip : track.clips) {
            const spec::Source* src = source_of(clip);
            if (!src) {
                row.emplace_back();
                continue;
            }
            auto probed = probe_media(*src, kind_of(clip.asset), options, warnings);
            if (!probed) return std::unexpected(probed.error());
            row.push_back(std::move(*probed));
        }
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

Result<void> plan_clips(Plan& plan, const ProbeTable& probed, const Timing& timing) {
    const auto& tracks = plan.spec.timeline.tracks;
    for (std::size_t t = 0; t < tracks.size(); ++t) {
        std::vector<PlannedClip> track;
        for (std::size_t c = 0; c < tracks[t].clips.size(); ++c) {
            PlannedClip pc;
            pc.clip = &tracks[t].clips[c];
            pc.kind = kind_of(pc.clip->asset);
            pc.track = static_cast<int>(t);
            pc.start = timing.clips[t][c].start;
            pc.end = timing.clips[t][c].end;
            pc.source = probed[t][c].path;
            pc.source_duration = probed[t][c].duration;
            pc.source_fps = probed[t][c].fps;
            auto planned = plan_visual(pc, probed[t][c].size, plan, plan.warnings);
            if (!planned) return planned;
            track.push_back(std::move(pc));
        }
        std::stable_sort(track.begin(), track.end(), [](auto& a, auto& b) { return a.start < b.start; });
        for (auto& pc : track) plan.clips.push_back(std::move(pc));
    }
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

std::vector<AudioPlacement> audio_placements(const Plan& plan, const ProbeTable& probed) {
    std::vector<AudioPlacement> out;
    if (!plan.soundtrack.empty()) {
        const spec::Soundtrack& s = *plan.spec.timeline.soundtrack;
        out.push_back(
            {plan.soundtrack, 0, plan.timeline_duration, 0, 1, s.loop, probed[0][0].duration, s.audio});
    }
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

Result<void> plan_audio(Plan& plan, const RenderOptions& options, const ProbeTable& probed) {
    ProbeTable soundtrack(1);
    if (const auto& s = plan.spec.timeline.soundtrack) {
        auto p = probe_media(s->src, ClipKind::audio, options, plan.warnings);
        if (!p) return std::unexpected(p.error());
        plan.soundtrack = p->path;
        soundtrack[0].push_back(*p);
        plan.has_audio = p->has_audio;
    }
    for (std::size_t t = 0; t < probed.size(); ++t)
        for (const auto& p : probed[t]) plan.has_audio = plan.has_audio || p.has_audio;
    auto placements = audio_placements(plan, soundtrack);
    auto mix = mix_audio(placements, plan.range_start, plan.duration, plan.limits);
    if (!mix) return std::unexpected(mix.error());
    if (mix->peak > 1.0f)
        plan.warnings.push_back(
            {Code::invalid_argument,
             fmt::format("the audio mix peaks at {:.2f} and will clip; lower some volumes", mix->peak),
             "/timeline"});
    plan.audio = std::move(mix->samples);
    return {};
}

}  // namespace

const char* kind_name(ClipKind kind) {
    static constexpr const char* kNames[] = {"image", "video", "text", "shape", "color", "audio"};
    return kNames[static_cast<int>(kind)];
}

Result<std::shared_ptr<const Plan>> build_plan(const spec::Spec& spec, const RenderOptions& options) {
    if (auto started = media::init_images(); !started) return std::unexpected(started.error());
    auto plan = std::make_shared<Plan>();
    plan->spec = spec;
    plan->base_dir = options.base_dir;
    plan->limits = options.input;
    auto probed = probe_all(plan->spec.timeline, options, plan->warnings);
    if (!probed) return std::unexpected(probed.error());
    auto timing = resolve_times(plan->spec.timeline, durations(*probed));
    if (!timing) return std::unexpected(timing.error());
    plan->timeline_duration = timing->duration;
    set_range(*plan);
    if (auto clips = plan_clips(*plan, *probed, *timing); !clips) return std::unexpected(clips.error());
    if (auto audio = plan_audio(*plan, options, *probed); !audio) return std::unexpected(audio.error());
    return std::shared_ptr<const Plan>(std::move(plan));
}

}  // namespace vidgen::render
