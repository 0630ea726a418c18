#include <fmt/format.h>

#include <boost/json.hpp>

#include "spec/detail/read.hpp"

namespace vidgen::spec::detail {
namespace {

struct Size {
    int width;
    int height;
};

void read_size(const Node& node, Output& output) {
    Node preset = node["size"];
    Node width = node["width"];
    Node height = node["height"];
    if (preset.present() && (width.present() || height.present())) {
        preset.fail("give either size or width and height, not both");
        return;
    }
    if (preset.present()) {
        auto size = preset.choice<Size>({
            {"1080p", {1920, 1080}},
            {"720p", {1280, 720}},
            {"square", {1080, 1080}},
            {"vertical", {1080, 1920}},
            {"4k", {3840, 2160}},
        });
        if (size) std::tie(output.width, output.height) = std::pair(size->width, size->height);
        return;
    }
    if (width.present() != height.present()) {
        (width.present() ? height : width)
            .fail("is required when " + std::string(width.present() ? "width" : "height") + " is given");
    }
    if (auto w =
            width.integer({.min = 16, .max = static_cast<double>(node.limits().max_width), .limit = true}))
        output.width = static_cast<int>(*w);
    if (auto h =
            height.integer({.min = 16, .max = static_cast<double>(node.limits().max_height), .limit = true}))
        output.height = static_cast<int>(*h);
}

std::optional<TimeRange> read_range(const Node& node) {
    if (!node.object()) return std::nullopt;
    static constexpr std::string_view kKeys[] = {"start", "length"};
    node.only_keys(kKeys);
    double max = node.limits().max_duration;
    bool required = node["length"].require();
    auto start = node["start"].number({.min = 0, .max = max, .limit = true});
    auto length = node["length"].number({.min = 0, .max = max, .min_exclusive = true, .limit = true});
    if (!required || !length || (node["start"].present() && !start)) return std::nullopt;
    return TimeRange{start.value_or(0), *length};
}

std::optional<Soundtrack> read_soundtrack(const Node& node) {
    if (!node.object()) return std::nullopt;
    static constexpr std::string_view kKeys[] = {"src", "volume", "fade_in", "fade_out", "loop"};
    node.only_keys(kKeys);
    Soundtrack soundtrack;
    if (!node["src"].require()) return std::nullopt;
    auto src = read_source(node["src"]);
    soundtrack.audio = read_audio_props(node);
    if (auto loop = node["loop"].boolean()) soundtrack.loop = *loop;
    if (!src) return std::nullopt;
    soundtrack.src = *src;
    return soundtrack;
}

// Reads the clips of one track; `clip_budget` is what is left of the limit over all tracks.
Track read_track(const Node& node, int& clip_budget) {
    Track track;
    if (!node.object()) return track;
    static constexpr std::string_view kKeys[] = {"clips"};
    node.only_keys(kKeys);
    Node clips = node["clips"];
    if (!clips.require() || !clips.array()) return track;
    if (clips.array()->size() > static_cast<std::size_t>(std::max(clip_budget, 0))) {
        clips.fail(fmt::format("too many clips: the limit is {} over all tracks", node.limits().max_clips),
                   Code::limit_exceeded);
        clip_budget = -1;
        return track;
    }
    clip_budget -= static_cast<int>(clips.array()->size());
    for (std::size_t i = 0; i < clips.array()->size(); ++i)
        if (auto clip = read_clip(clips[i])) track.clips.push_back(std::move(*clip));
    return track;
}

void read_tracks(const Node& node, Timeline& timeline) {
    if (!node.require() || !node.array()) return;
    const auto& tracks = *node.array();
    if (tracks.empty()) node.fail("must have at least one track");
    if (tracks.size() > static_cast<std::size_t>(node.limits().max_tracks)) {
        node.fail(fmt::format("has {} tracks; the limit is {}", tracks.size(), node.limits().max_tracks),
                  Code::limit_exceeded);
        return;
    }
    int clip_budget = node.limits().max_clips;
    for (std::size_t i = 0; i < tracks.size() && clip_budget >= 0; ++i)
        timeline.tracks.push_back(read_track(node[i], clip_budget));
}

}  // namespace

Output read_output(const Node& node) {
    Output output;
    if (!node.object()) return output;
    static constexpr std::string_view kKeys[] = {"size",   "width",   "height", "fps",
                                                 "format", "quality", "crf",    "range"};
    node.only_keys(kKeys);
    read_size(node, output);
    if (auto fps = node["fps"].number(
            {.min = 0, .max = node.limits().max_fps, .min_exclusive = true, .limit = true}))
        output.fps = *fps;
    auto format = node["format"].choice<Format>(
        {{"mp4", Format::mp4}, {"webm", Format::webm}, {"gif", Format::gif}, {"png", Format::png}});
    if (format) output.format = *format;
    auto quality = node["quality"].choice<Quality>(
        {{"draft", Quality::draft}, {"standard", Quality::standard}, {"high", Quality::high}});
    if (quality) output.quality = *quality;
    if (auto crf = node["crf"].integer({0, 51})) output.crf = static_cast<int>(*crf);
    output.range = read_range(node["range"]);
    return output;
}

Timeline read_timeline(const Node& node) {
    Timeline timeline;
    if (!node.object()) return timeline;
    static constexpr std::string_view kKeys[] = {"background", "duration", "soundtrack", "tracks"};
    node.only_keys(kKeys);
    if (auto background = read_color(node["background"])) timeline.background = *background;
    timeline.duration = node["duration"].number(
        {.min = 0, .max = node.limits().max_duration, .min_exclusive = true, .limit = true});
    timeline.soundtrack = read_soundtrack(node["soundtrack"]);
    read_tracks(node["tracks"], timeline);
    return timeline;
}

}  // namespace vidgen::spec::detail
