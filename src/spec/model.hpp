// The video spec model: what a user asks for, after parsing and validation but before planning.
// Plain value types with no behaviour beyond small helpers; copying is cheap enough for per-row batches.
// Times are seconds. Colours are straight (non-premultiplied) RGBA in 0..1. Angles are degrees clockwise.
// Thread-compatible: share const instances freely.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace vidgen::spec {

// ---- units and values -----------------------------------------------------------------------------

struct Color {
    double r = 0, g = 0, b = 0, a = 1;
    friend bool operator==(const Color&, const Color&) = default;
};

enum class Unit { px, percent, vw, vh };

// A length such as 120 (px), "50%", "10vw", "5vh". Percent is of the axis it applies to
// (width for x and widths, height for y and heights) unless stated otherwise.
struct Length {
    double value = 0;
    Unit unit = Unit::px;
    // Pixels on an axis of `axis` px in a frame of `frame_w` × `frame_h`.
    double resolve(double axis, double frame_w, double frame_h) const {
        switch (unit) {
            case Unit::px:
                return value;
            case Unit::percent:
                return value * axis / 100.0;
            case Unit::vw:
                return value * frame_w / 100.0;
            case Unit::vh:
                return value * frame_h / 100.0;
        }
        return value;
    }
    friend bool operator==(const Length&, const Length&) = default;
};

// Penner's easing families, each in/out/in-out; plus linear, hold (jump at the next key) and cubic-bezier.
enum class EasingFamily {
    linear,
    hold,
    bezier,
    quad,
    cubic,
    quart,
    quint,
    sine,
    expo,
    circ,
    back,
    elastic,
    bounce
};
enum class EasingMode { in, out, in_out };

struct Easing {
    EasingFamily family = EasingFamily::linear;
    EasingMode mode = EasingMode::in_out;
    std::array<double, 4> bezier{0, 0, 1, 1};  // x1 y1 x2 y2 for EasingFamily::bezier
    friend bool operator==(const Easing&, const Easing&) = default;
};

// One keyframe: at `time` (seconds from the clip's start) the property is `value`; `easing` shapes the
// curve from this key to the next.
template <typename V>
struct Keyframe {
    double time = 0;
    V value{};
    Easing easing{};
};

// A property that is either constant (`keys` empty) or animated by keyframes sorted by time.
// Before the first key the value is the first key's; after the last, the last key's.
template <typename V>
struct Animated {
    V value{};
    std::vector<Keyframe<V>> keys;
    bool animated() const { return !keys.empty(); }
};

// ---- output -----------------------------------------------------------------------------------------

enum class Format { mp4, webm, gif, png };
enum class Quality { draft, standard, high };

struct TimeRange {
    double start = 0;
    double length = 0;
};

struct Output {
    int width = 1920;
    int height = 1080;
    double fps = 30;
    Format format = Format::mp4;
    Quality quality = Quality::standard;
    std::optional<int> crf;          // overrides the quality preset's CRF
    std::optional<TimeRange> range;  // render only this part of the timeline
};

// ---- layout -----------------------------------------------------------------------------------------

enum class Fit { cover, contain, contain_blur, fill, none };
enum class Anchor { top_left, top, top_right, left, center, right, bottom_left, bottom, bottom_right };

// Where and how a visual clip is drawn. The clip's box (width × height, default: the whole frame) is
// placed at `position` (one of nine anchors of the frame, aligning the same anchor of the box) and moved
// by `x`/`y` (positive x right, positive y down). Content is fitted into the box by `fit`, then the box
// is scaled and rotated about its centre and drawn with `opacity`.
struct Layout {
    Anchor position = Anchor::center;
    Animated<Length> x{};
    Animated<Length> y{};
    std::optional<Length> width;
    std::optional<Length> height;
    Fit fit = Fit::cover;
    Animated<double> scale{1.0, {}};
    Animated<double> rotation{0.0, {}};
    Animated<double> opacity{1.0, {}};
    double radius = 0;  // corner radius of the box in px (clips content)
};

// ---- motion -----------------------------------------------------------------------------------------

enum class KenBurns { none, zoom_in, zoom_out, pan_left, pan_right, pan_up, pan_down };

struct Effect {
    KenBurns type = KenBurns::none;
    double speed = 1.0;  // 0.5 slow, 1 normal, 2 fast: zoom_in goes 1 → 1 + 0.1·speed over the clip
};

enum class TransitionType {
    none,
    fade,
    crossfade,
    wipe_left,
    wipe_right,
    wipe_up,
    wipe_down,
    slide_left,
    slide_right,
    slide_up,
    slide_down,
    zoom
};

struct Transition {
    TransitionType type = TransitionType::none;
    double duration = 1.0;
    Easing easing{EasingFamily::linear, EasingMode::in_out, {0, 0, 1, 1}};
};

// ---- sources and audio ------------------------------------------------------------------------------

// Where media comes from: a path relative to the spec's folder, an https:// URL, or "asset:ID".
struct Source {
    std::string uri;
    std::string pointer;  // JSON Pointer of the field, for errors raised when the source is resolved
};

struct AudioProps {
    double volume = 1.0;  // linear gain, 0..4
    double fade_in = 0;   // seconds
    double fade_out = 0;  // seconds
};

// ---- clips ------------------------------------------------------------------------------------------

struct ImageAsset {
    Source src;
};

struct VideoAsset {
    Source src;
    double trim = 0;     // seconds skipped at the start of the source
    double speed = 1.0;  // playback rate, 0.25..4
    bool loop = false;   // repeat the source to fill the clip
    AudioProps audio{};  // the video's own sound (volume 0 mutes it)
};

enum class TextAlign { left, center, right };
enum class FontStyle { normal, italic };

struct Stroke {
    Color color{0, 0, 0, 1};
    double width = 0;  // px; 0 = none
};

struct Shadow {
    Color color{0, 0, 0, 0.5};
    double x = 0, y = 0;  // offset px
    double blur = 0;      // px
    bool enabled = false;
};

struct TextBackground {
    Color color{0, 0, 0, 0};
    double padding = 0;  // px around the text
    double radius = 0;   // corner radius px
    bool enabled = false;
};

struct TextStyle {
    std::string family = "DejaVu Sans";  // fontconfig family name
    std::string font_file;               // or a font file (relative to the spec's folder); wins over family
    int weight = 400;                    // 100..900; "bold" = 700
    FontStyle style = FontStyle::normal;
    Length size{48, Unit::px};
    Animated<Color> color{Color{1, 1, 1, 1}, {}};
    double line_height = 1.2;   // multiple of the size
    double letter_spacing = 0;  // px
    TextAlign align = TextAlign::center;
    bool auto_fit = false;  // shrink the size until the text fits the box (width and height)
    double min_size = 8;    // px, the smallest auto_fit may choose
    Stroke stroke{};
    Shadow shadow{};
    TextBackground background{};
};

// Text is laid out inside the clip's box: wrapped at the box width when a width is given, otherwise on
// the lines the text has; the box defaults to the laid-out text's size.
struct TextAsset {
    std::string text;
    TextStyle style{};
};

enum class ShapeKind { rectangle, ellipse, line };

struct ShapeAsset {
    ShapeKind kind = ShapeKind::rectangle;
    Animated<Color> fill{Color{1, 1, 1, 1}, {}};
    Stroke stroke{};
    // rectangle radius is Layout::radius; a line runs across the box's width, centred vertically,
    // `stroke.width` thick (default 4) in `stroke.color` — or `fill` when no stroke colour is given.
};

struct ColorAsset {
    Animated<Color> color{Color{0, 0, 0, 1}, {}};
};

struct AudioAsset {
    Source src;
    double trim = 0;
    double speed = 1.0;
    bool loop = false;
    AudioProps audio{};
};

using Asset = std::variant<ImageAsset, VideoAsset, TextAsset, ShapeAsset, ColorAsset, AudioAsset>;

// A clip's start or length as written: seconds, or one of the words the planner works out.
struct Time {
    enum class Kind { seconds, automatic, end };
    Kind kind = Kind::seconds;
    double seconds = 0;
    static Time at(double s) { return {Kind::seconds, s}; }
};

struct Clip {
    Asset asset;
    Time start{};   // seconds or "auto": right after the previous clip on the track ends
    Time length{};  // seconds, "auto" (the source's own length; text/shape/color/image: to the end) or "end"
    Layout layout{};
    Effect effect{};
    Transition transition_in{};
    Transition transition_out{};
    std::string pointer;  // JSON Pointer of this clip, e.g. "/timeline/tracks/0/clips/2"
};

// Tracks are drawn in order: the first track is at the bottom, each later track is drawn over the ones
// before it (like layers in an HTML page). Within a track, clips are drawn in their start order.
struct Track {
    std::vector<Clip> clips;
};

struct Soundtrack {
    Source src;
    AudioProps audio{};
    bool loop = false;
};

struct Timeline {
    Color background{0, 0, 0, 1};
    std::optional<Soundtrack> soundtrack;
    std::vector<Track> tracks;
    std::optional<double> duration;  // explicit length; default: where the last clip ends
};

struct Spec {
    Output output{};
    Timeline timeline{};
};

}  // namespace vidgen::spec
