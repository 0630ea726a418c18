#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "spec/detail/read.hpp"

namespace vidgen::spec::detail {
namespace {

// The scheme of "scheme:rest" (RFC 3986 letters), or empty for a plain path.
std::string scheme_of(std::string_view uri) {
    auto colon = uri.find(':');
    if (colon == std::string_view::npos || colon == 0) return {};
    std::string_view scheme = uri.substr(0, colon);
    bool valid = std::isalpha(static_cast<unsigned char>(scheme[0])) &&
                 std::ranges::all_of(scheme, [](unsigned char c) {
                     return std::isalnum(c) || c == '+' || c == '-' || c == '.';
                 });
    if (!valid) return {};
    std::string lower(scheme);
    std::ranges::transform(lower, lower.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower;
}

bool valid_asset_id(std::string_view id) {
    return !id.empty() && id.size() <= 128 && std::ranges::all_of(id, [](unsigned char c) {
        return std::isalnum(c) || c == '_' || c == '-' || c == '.';
    });
}

// A video or audio clip whose length comes from its source: "auto" and not looping.
bool sized_by_source(const Clip& clip) {
    if (clip.length.kind != Time::Kind::automatic) return false;
    if (const auto* video = std::get_if<VideoAsset>(&clip.asset)) return !video->loop;
    if (const auto* audio = std::get_if<AudioAsset>(&clip.asset)) return !audio->loop;
    return false;
}

// Whether the timeline's end can be worked out without "end" clips: an explicit duration, a clip with a
// length in seconds, or a video or audio clip sized by its source (known once probed).
bool end_is_known(const Timeline& timeline) {
    if (timeline.duration) return true;
    for (const auto& track : timeline.tracks)
        for (const auto& clip : track.clips)
            if (clip.length.kind == Time::Kind::seconds || sized_by_source(clip)) return true;
    return false;
}

void check_transitions(const Clip& clip, const Node& at) {
    if (clip.length.kind != Time::Kind::seconds) return;
    double in = clip.transition_in.type == TransitionType::none ? 0 : clip.transition_in.duration;
    double out = clip.transition_out.type == TransitionType::none ? 0 : clip.transition_out.duration;
    if (in + out > clip.length.seconds)
        at.fail(fmt::format("transitions (in {} s + out {} s) are longer than the clip ({} s)",
                            format_number(in), format_number(out), format_number(clip.length.seconds)));
}

void check_clip(const Clip& clip, const Timeline& timeline, bool end_known, Context& context) {
    Node start(nullptr, clip.pointer + "/start", context);
    Node length(nullptr, clip.pointer + "/length", context);
    bool numeric_start = clip.start.kind == Time::Kind::seconds;
    if (numeric_start && timeline.duration && clip.start.seconds >= *timeline.duration)
        start.fail(fmt::format("starts at {} s, at or after the end of the timeline (duration {} s)",
                               format_number(clip.start.seconds), format_number(*timeline.duration)));
    if (clip.length.kind == Time::Kind::end && !end_known)
        length.fail(
            "\"end\" needs a known end: give timeline.duration, a clip with a length in seconds, or a video "
            "or audio clip that does not loop");
    if (numeric_start && clip.length.kind == Time::Kind::seconds &&
        clip.start.seconds + clip.length.seconds > context.limits.max_duration)
        length.fail(fmt::format("the clip ends after {} s, the longest timeline allowed",
                                format_number(context.limits.max_duration)),
                    Code::limit_exceeded);
    check_transitions(clip, Node(nullptr, clip.pointer + "/transition", context));
    bool first = clip.pointer.ends_with("/clips/0");
    if (first && clip.transition_in.type == TransitionType::crossfade)
        Node(nullptr, clip.pointer + "/transition/in", context)
            .fail("the first clip of a track has nothing to crossfade from; use fade");
}

// "auto" starts right after the previous clip, so that clip must end before the timeline does.
void check_auto_starts(const Track& track, Context& context) {
    for (std::size_t i = 1; i < track.clips.size(); ++i) {
        const Clip& previous = track.clips[i - 1];
        bool open_ended = previous.length.kind == Time::Kind::end ||
                          (previous.length.kind == Time::Kind::automatic && !sized_by_source(previous));
        if (track.clips[i].start.kind == Time::Kind::automatic && open_ended)
            Node(nullptr, track.clips[i].pointer + "/start", context)
                .fail(
                    "starts \"auto\" after a clip that lasts to the end of the timeline; give that clip a "
                    "length or this one a start");
    }
}

void check_output(const Spec& spec, Context& context) {
    const Output& output = spec.output;
    bool needs_even = output.format == Format::mp4 || output.format == Format::webm;
    if (needs_even && output.width % 2 != 0)
        Node(nullptr, "/output/width", context)
            .fail(fmt::format("must be even for mp4 and webm, got {}", output.width));
    if (needs_even && output.height % 2 != 0)
        Node(nullptr, "/output/height", context)
            .fail(fmt::format("must be even for mp4 and webm, got {}", output.height));
    const auto& duration = spec.timeline.duration;
    if (!output.range || !duration) return;
    Node range(nullptr, "/output/range", context);
    if (output.range->start >= *duration)
        range.fail(fmt::format("starts at {} s, at or after the end of the timeline ({} s)",
                               format_number(output.range->start), format_number(*duration)));
    else if (output.range->start + output.range->length > *duration)
        range.fail(fmt::format("ends at {} s, after the end of the timeline ({} s)",
                               format_number(output.range->start + output.range->length),
                               format_number(*duration)));
}

}  // namespace

void check_source(const Node& node, std::string_view uri) {
    if (uri.empty()) return node.fail("must not be empty");
    if (std::ranges::any_of(uri, [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
        return node.fail("must not contain control characters");
    std::string scheme = scheme_of(uri);
    if (scheme.empty()) return;
    if (scheme == "https") {
        if (!uri.substr(6).starts_with("//") || uri.size() <= 8)
            node.fail("an https source must look like https://host/path");
        return;
    }
    if (scheme == "asset") {
        if (!valid_asset_id(uri.substr(6)))
            node.fail("an asset source must look like asset:ID (letters, digits, '_', '-', '.')");
        return;
    }
    node.fail(fmt::format("the '{}:' scheme is not allowed; use a relative path, an https:// URL or asset:ID",
                          shorten(scheme)),
              Code::unsupported);
}

void check_semantics(const Spec& spec, Context& context) {
    check_output(spec, context);
    bool end_known = end_is_known(spec.timeline);
    for (const auto& track : spec.timeline.tracks) {
        for (const auto& clip : track.clips) check_clip(clip, spec.timeline, end_known, context);
        check_auto_starts(track, context);
    }
}

}  // namespace vidgen::spec::detail
