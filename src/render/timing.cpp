#include "render/timing.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

namespace vidgen::render {
namespace {

struct Media {
    double trim = 0, speed = 1;
    bool loop = false;
};

std::optional<Media> media_of(const spec::Clip& clip) {
    if (auto* v = std::get_if<spec::VideoAsset>(&clip.asset)) return Media{v->trim, v->speed, v->loop};
    if (auto* a = std::get_if<spec::AudioAsset>(&clip.asset)) return Media{a->trim, a->speed, a->loop};
    return std::nullopt;
}

// The clip's own length in seconds, or nullopt when it lasts to the end of the timeline.
Result<std::optional<double>> own_length(const spec::Clip& clip, double source_seconds) {
    if (clip.length.kind == spec::Time::Kind::seconds) return clip.length.seconds;
    auto media = media_of(clip);
    if (clip.length.kind == spec::Time::Kind::end || !media || media->loop) return std::nullopt;
    if (source_seconds <= 0)
        return fail(Code::invalid_argument, "the source's length is unknown: give the clip a length",
                    clip.pointer + "/length");
    double remaining = (source_seconds - media->trim) / (media->speed > 0 ? media->speed : 1);
    if (remaining <= 0)
        return fail(Code::invalid_argument,
                    fmt::format("trim {} is past the end of the {} s source", media->trim, source_seconds),
                    clip.pointer + "/trim");
    return remaining;
}

struct TrackCursor {
    double end = 0;
    bool to_timeline_end = false;
};

Result<double> start_of(const spec::Clip& clip, const TrackCursor& previous) {
    if (clip.start.kind == spec::Time::Kind::seconds) return clip.start.seconds;
    if (previous.to_timeline_end)
        return fail(Code::invalid_argument,
                    "cannot start after a clip that lasts to the end of the timeline; give a start",
                    clip.pointer + "/start");
    double start = previous.end;
    if (clip.transition_in.type == spec::TransitionType::crossfade) start -= clip.transition_in.duration;
    return std::max(0.0, start);
}

}  // namespace

Result<Timing> resolve_times(const spec::Timeline& timeline,
                             const std::vector<std::vector<double>>& source_seconds) {
    Timing timing;
    std::vector<std::pair<std::size_t, std::size_t>> open_ended;
    double latest = 0;
    for (std::size_t t = 0; t < timeline.tracks.size(); ++t) {
        TrackCursor cursor;
        auto& times = timing.clips.emplace_back();
        for (std::size_t c = 0; c < timeline.tracks[t].clips.size(); ++c) {
            const spec::Clip& clip = timeline.tracks[t].clips[c];
            auto start = start_of(clip, cursor);
            if (!start) return std::unexpected(start.error());
            auto length = own_length(clip, source_seconds[t][c]);
            if (!length) return std::unexpected(length.error());
            double end = *start + length->value_or(0);
            if (!*length)
                open_ended.emplace_back(t, c);
            else
                latest = std::max(latest, end);
            times.push_back({*start, end});
            cursor = {end, !length->has_value()};
        }
    }
    if (!timeline.duration && latest <= 0)
        return fail(Code::invalid_argument,
                    "the timeline has no length: set timeline.duration or give a clip a length",
                    "/timeline/duration");
    timing.duration = timeline.duration.value_or(latest);
    for (auto [t, c] : open_ended) timing.clips[t][c].end = timing.duration;
    return timing;
}

}  // namespace vidgen::render
