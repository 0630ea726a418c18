#include <gtest/gtest.h>

#include <cmath>

#include "helpers.hpp"

namespace vidgen::spec {
namespace {

using testing::first_clip;
using testing::parse_ok;
using testing::with_clip;
using testing::with_output;

TEST(Parse, MinimalSpecTakesEveryDefault) {
    Spec spec = parse_ok(with_clip(R"({"type":"image","src":"a.jpg"})"));
    EXPECT_EQ(spec.output.width, 1920);
    EXPECT_EQ(spec.output.height, 1080);
    EXPECT_EQ(spec.output.fps, 30);
    EXPECT_EQ(spec.output.format, Format::mp4);
    EXPECT_EQ(spec.output.quality, Quality::standard);
    EXPECT_FALSE(spec.output.crf);
    EXPECT_FALSE(spec.output.range);
    EXPECT_EQ(spec.timeline.background, (Color{0, 0, 0, 1}));
    EXPECT_FALSE(spec.timeline.duration);
    EXPECT_FALSE(spec.timeline.soundtrack);
    ASSERT_EQ(spec.timeline.tracks.size(), 1u);
    const Clip& clip = spec.timeline.tracks[0].clips.at(0);
    EXPECT_EQ(clip.pointer, "/timeline/tracks/0/clips/0");
    EXPECT_EQ(clip.start.kind, Time::Kind::automatic);
    EXPECT_EQ(clip.length.kind, Time::Kind::automatic);
    EXPECT_EQ(clip.layout.position, Anchor::center);
    EXPECT_EQ(clip.layout.fit, Fit::cover);
    EXPECT_FALSE(clip.layout.width);
    EXPECT_EQ(clip.layout.opacity.value, 1.0);
    EXPECT_EQ(clip.effect.type, KenBurns::none);
    EXPECT_EQ(clip.transition_in.type, TransitionType::none);
    const auto& image = std::get<ImageAsset>(clip.asset);
    EXPECT_EQ(image.src.uri, "a.jpg");
    EXPECT_EQ(image.src.pointer, "/timeline/tracks/0/clips/0/src");
}

TEST(Parse, SizePresets) {
    struct Case {
        const char* size;
        int width, height;
    };
    const Case cases[] = {{"1080p", 1920, 1080},
                          {"720p", 1280, 720},
                          {"square", 1080, 1080},
                          {"vertical", 1080, 1920},
                          {"4k", 3840, 2160}};
    for (const auto& c : cases) {
        Spec spec = parse_ok(with_output(std::string("\"size\":\"") + c.size + "\""));
        EXPECT_EQ(spec.output.width, c.width) << c.size;
        EXPECT_EQ(spec.output.height, c.height) << c.size;
    }
}

TEST(Parse, OutputFields) {
    Spec spec = parse_ok(with_output(
        R"("width":640,"height":360,"fps":24,"format":"webm","quality":"high","crf":20,"range":{"start":1,"length":2})"));
    EXPECT_EQ(spec.output.width, 640);
    EXPECT_EQ(spec.output.height, 360);
    EXPECT_EQ(spec.output.fps, 24);
    EXPECT_EQ(spec.output.format, Format::webm);
    EXPECT_EQ(spec.output.quality, Quality::high);
    EXPECT_EQ(spec.output.crf, 20);
    ASSERT_TRUE(spec.output.range);
    EXPECT_EQ(spec.output.range->start, 1);
    EXPECT_EQ(spec.output.range->length, 2);
    EXPECT_EQ(parse_ok(with_output(R"("format":"gif","width":101,"height":51)")).output.width, 101);
    EXPECT_EQ(parse_ok(with_output(R"("fps":29.97)")).output.fps, 29.97);
}

TEST(Parse, TimelineAndSoundtrack) {
    Spec spec = parse_ok(R"({"timeline":{"background":"#203050","duration":10,
        "soundtrack":{"src":"music.wav","volume":0.8,"fade_in":0.5,"fade_out":1,"loop":true},
        "tracks":[{"clips":[{"type":"color"}]},{"clips":[]}]}})");
    EXPECT_EQ(spec.timeline.background, (Color{0x20 / 255.0, 0x30 / 255.0, 0x50 / 255.0, 1}));
    EXPECT_EQ(spec.timeline.duration, 10);
    ASSERT_TRUE(spec.timeline.soundtrack);
    EXPECT_EQ(spec.timeline.soundtrack->src.uri, "music.wav");
    EXPECT_EQ(spec.timeline.soundtrack->src.pointer, "/timeline/soundtrack/src");
    EXPECT_EQ(spec.timeline.soundtrack->audio.volume, 0.8);
    EXPECT_EQ(spec.timeline.soundtrack->audio.fade_in, 0.5);
    EXPECT_EQ(spec.timeline.soundtrack->audio.fade_out, 1);
    EXPECT_TRUE(spec.timeline.soundtrack->loop);
    EXPECT_EQ(spec.timeline.tracks.size(), 2u);
}

TEST(Parse, LayoutFields) {
    Clip clip = first_clip(R"({"type":"image","src":"a.png","position":"top-right","x":-32,"y":"5vh",
        "width":"50%","height":180,"fit":"contain-blur","scale":1.5,"rotation":-10,"opacity":0.5,"radius":12})");
    const Layout& l = clip.layout;
    EXPECT_EQ(l.position, Anchor::top_right);
    EXPECT_EQ(l.x.value, (Length{-32, Unit::px}));
    EXPECT_EQ(l.y.value, (Length{5, Unit::vh}));
    EXPECT_EQ(l.width, (Length{50, Unit::percent}));
    EXPECT_EQ(l.height, (Length{180, Unit::px}));
    EXPECT_EQ(l.fit, Fit::contain_blur);
    EXPECT_EQ(l.scale.value, 1.5);
    EXPECT_EQ(l.rotation.value, -10);
    EXPECT_EQ(l.opacity.value, 0.5);
    EXPECT_EQ(l.radius, 12);
}

TEST(Parse, EveryPositionAndFit) {
    const std::pair<const char*, Anchor> anchors[] = {{"top-left", Anchor::top_left},
                                                      {"top", Anchor::top},
                                                      {"top-right", Anchor::top_right},
                                                      {"left", Anchor::left},
                                                      {"center", Anchor::center},
                                                      {"right", Anchor::right},
                                                      {"bottom-left", Anchor::bottom_left},
                                                      {"bottom", Anchor::bottom},
                                                      {"bottom-right", Anchor::bottom_right}};
    for (const auto& [name, anchor] : anchors)
        EXPECT_EQ(first_clip(std::string(R"({"type":"color","position":")") + name + "\"}").layout.position,
                  anchor);
    const std::pair<const char*, Fit> fits[] = {{"cover", Fit::cover},
                                                {"contain", Fit::contain},
                                                {"contain-blur", Fit::contain_blur},
                                                {"fill", Fit::fill},
                                                {"none", Fit::none}};
    for (const auto& [name, fit] : fits)
        EXPECT_EQ(first_clip(std::string(R"({"type":"image","src":"a","fit":")") + name + "\"}").layout.fit,
                  fit);
}

TEST(Parse, KeyframesWithEasing) {
    Clip clip = first_clip(R"J({"type":"color","opacity":[{"time":0,"value":0},
        {"time":1,"value":1,"easing":"ease-out-quad"},{"time":2.5,"value":0.25,"easing":"cubic-bezier(0.2,0,0.2,1)"}],
        "x":[{"time":0,"value":"-10vw"},{"time":1,"value":0}],"color":[{"time":0,"value":"#000"},{"time":1,"value":"#fff"}]})J");
    const auto& keys = clip.layout.opacity.keys;
    ASSERT_EQ(keys.size(), 3u);
    EXPECT_EQ(clip.layout.opacity.value, 0);
    EXPECT_EQ(keys[0].easing.family, EasingFamily::linear);
    EXPECT_EQ(keys[1].time, 1);
    EXPECT_EQ(keys[1].value, 1);
    EXPECT_EQ(keys[1].easing.family, EasingFamily::quad);
    EXPECT_EQ(keys[1].easing.mode, EasingMode::out);
    EXPECT_EQ(keys[2].easing.family, EasingFamily::bezier);
    EXPECT_EQ(keys[2].easing.bezier[0], 0.2);
    ASSERT_EQ(clip.layout.x.keys.size(), 2u);
    EXPECT_EQ(clip.layout.x.keys[0].value, (Length{-10, Unit::vw}));
    const auto& color = std::get<ColorAsset>(clip.asset).color;
    ASSERT_EQ(color.keys.size(), 2u);
    EXPECT_EQ(color.keys[1].value, (Color{1, 1, 1, 1}));
}

TEST(Parse, EffectAndTransitions) {
    Clip clip = first_clip(R"({"type":"image","src":"a.jpg","length":5,"effect":"zoom-in",
        "transition":{"in":"fade","out":{"type":"wipe-left","duration":0.5,"easing":"ease-in-out-cubic"}}})");
    EXPECT_EQ(clip.effect.type, KenBurns::zoom_in);
    EXPECT_EQ(clip.effect.speed, 1);
    EXPECT_EQ(clip.transition_in.type, TransitionType::fade);
    EXPECT_EQ(clip.transition_in.duration, 1);
    EXPECT_EQ(clip.transition_out.type, TransitionType::wipe_left);
    EXPECT_EQ(clip.transition_out.duration, 0.5);
    EXPECT_EQ(clip.transition_out.easing.family, EasingFamily::cubic);
    clip = first_clip(R"({"type":"image","src":"a.jpg","effect":{"type":"pan-down","speed":2}})");
    EXPECT_EQ(clip.effect.type, KenBurns::pan_down);
    EXPECT_EQ(clip.effect.speed, 2);
}

TEST(Parse, VideoAndAudioClips) {
    Clip video = first_clip(R"({"type":"video","src":"clip.mp4","trim":2,"speed":0.5,"loop":true,
        "volume":0.5,"fade_in":0.5,"fade_out":0.25})");
    const auto& v = std::get<VideoAsset>(video.asset);
    EXPECT_EQ(v.src.uri, "clip.mp4");
    EXPECT_EQ(v.trim, 2);
    EXPECT_EQ(v.speed, 0.5);
    EXPECT_TRUE(v.loop);
    EXPECT_EQ(v.audio.volume, 0.5);
    EXPECT_EQ(v.audio.fade_in, 0.5);
    EXPECT_EQ(v.audio.fade_out, 0.25);
    Clip audio =
        first_clip(R"({"type":"audio","src":"https://example.com/sfx.wav","start":3,"fade_out":0.2})");
    const auto& a = std::get<AudioAsset>(audio.asset);
    EXPECT_EQ(a.src.uri, "https://example.com/sfx.wav");
    EXPECT_EQ(a.audio.fade_out, 0.2);
    EXPECT_EQ(a.audio.volume, 1);
}

TEST(Parse, TextStyle) {
    Clip clip = first_clip(R"({"type":"text","text":"Hello","width":"80%","style":{"font":"DejaVu Serif",
        "weight":"bold","style":"italic","size":"11vh","color":"#ff0000","line_height":1.4,"letter_spacing":2,
        "align":"left","auto_fit":true,"min_size":12,"stroke":{"color":"#000","width":3},
        "shadow":{"color":"#00000080","x":2,"y":3,"blur":4},"background":{"color":"#0008","padding":20,"radius":8}}})");
    const auto& text = std::get<TextAsset>(clip.asset);
    EXPECT_EQ(text.text, "Hello");
    const TextStyle& s = text.style;
    EXPECT_EQ(s.family, "DejaVu Serif");
    EXPECT_EQ(s.weight, 700);
    EXPECT_EQ(s.style, FontStyle::italic);
    EXPECT_EQ(s.size, (Length{11, Unit::vh}));
    EXPECT_EQ(s.color.value, (Color{1, 0, 0, 1}));
    EXPECT_EQ(s.line_height, 1.4);
    EXPECT_EQ(s.letter_spacing, 2);
    EXPECT_EQ(s.align, TextAlign::left);
    EXPECT_TRUE(s.auto_fit);
    EXPECT_EQ(s.min_size, 12);
    EXPECT_EQ(s.stroke.width, 3);
    EXPECT_TRUE(s.shadow.enabled);
    EXPECT_EQ(s.shadow.y, 3);
    EXPECT_EQ(s.shadow.blur, 4);
    EXPECT_TRUE(s.background.enabled);
    EXPECT_EQ(s.background.padding, 20);
    EXPECT_NEAR(s.background.color.a, 136.0 / 255, 1e-9);
}

TEST(Parse, TextDefaultsAndNumbers) {
    Clip clip = first_clip(R"({"type":"text","text":2024})");
    const auto& text = std::get<TextAsset>(clip.asset);
    EXPECT_EQ(text.text, "2024");
    EXPECT_EQ(text.style.family, "DejaVu Sans");
    EXPECT_EQ(text.style.weight, 400);
    EXPECT_FALSE(text.style.shadow.enabled);
    EXPECT_FALSE(text.style.background.enabled);
    EXPECT_EQ(std::get<TextAsset>(first_clip(R"({"type":"text","text":"a","style":{"weight":300}})").asset)
                  .style.weight,
              300);
}

TEST(Parse, ShapesAndLineDefaults) {
    Clip rect = first_clip(R"({"type":"shape","fill":"#1060C0D9","radius":12,"stroke":{"color":"#fff"}})");
    const auto& r = std::get<ShapeAsset>(rect.asset);
    EXPECT_EQ(r.kind, ShapeKind::rectangle);
    EXPECT_NEAR(r.fill.value.a, 0xD9 / 255.0, 1e-9);
    EXPECT_EQ(r.stroke.width, 2);
    EXPECT_EQ(rect.layout.radius, 12);
    Clip line = first_clip(R"({"type":"shape","shape":"line","fill":"red"})");
    const auto& l = std::get<ShapeAsset>(line.asset);
    EXPECT_EQ(l.kind, ShapeKind::line);
    EXPECT_EQ(l.stroke.width, 4);
    EXPECT_EQ(l.stroke.color, (Color{1, 0, 0, 1}));
    EXPECT_EQ(std::get<ShapeAsset>(first_clip(R"({"type":"shape","shape":"ellipse"})").asset).kind,
              ShapeKind::ellipse);
}

TEST(Parse, NegativeZeroBecomesZero) {
    Clip clip = first_clip(R"({"type":"color","start":-0.0,"x":-0.0})");
    EXPECT_EQ(clip.start.seconds, 0);
    EXPECT_FALSE(std::signbit(clip.start.seconds));
    EXPECT_FALSE(std::signbit(clip.layout.x.value.value));
}

TEST(Parse, AcceptsSourcesThatArePathsHttpsOrAssets) {
    for (const char* src : {"photo.jpg", "/srv/media/photo.jpg", "./a:b.jpg", "https://example.com/a.jpg",
                            "asset:abc_123", "HTTPS://example.com/a.jpg", "dir with space/ünï.png"}) {
        Clip clip = first_clip(std::string(R"({"type":"image","src":")") + src + "\"}");
        EXPECT_EQ(std::get<ImageAsset>(clip.asset).src.uri, src);
    }
}

TEST(Parse, TheValueOverloadMatchesTheTextOne) {
    auto json = boost::json::parse(with_clip(R"({"type":"image","src":"{{file}}"})"));
    auto spec = parse(json, testing::data_of(R"({"file":"b.png"})"));
    ASSERT_TRUE(spec) << testing::describe(spec.error());
    EXPECT_EQ(std::get<ImageAsset>(spec->timeline.tracks[0].clips[0].asset).src.uri, "b.png");
}

TEST(Parse, SchemaKeyIsAllowed) {
    parse_ok(R"({"$schema":"https://vidgen.dev/spec.schema.json","timeline":{"tracks":[{"clips":[]}]}})");
}

}  // namespace
}  // namespace vidgen::spec
