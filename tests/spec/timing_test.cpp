#include <gtest/gtest.h>

#include "helpers.hpp"

namespace vidgen::spec {
namespace {

using testing::first_clip;
using testing::parse_ok;
using testing::with_clip;

TEST(Timing, StartAndLengthWords) {
    Spec spec = parse_ok(with_clip(R"({"type":"color","start":1.5,"length":"end"})", R"("duration":10)"));
    Clip clip = spec.timeline.tracks.at(0).clips.at(0);
    EXPECT_EQ(clip.start.kind, Time::Kind::seconds);
    EXPECT_EQ(clip.start.seconds, 1.5);
    EXPECT_EQ(clip.length.kind, Time::Kind::end);
    clip = first_clip(R"({"type":"color","start":"auto","length":2})");
    EXPECT_EQ(clip.start.kind, Time::Kind::automatic);
    EXPECT_EQ(clip.length.kind, Time::Kind::seconds);
    EXPECT_EQ(clip.length.seconds, 2);
}

TEST(Timing, EndIsKnownFromADurationAClipLengthOrAMediaSource) {
    const char* track = R"({"type":"text","text":"a","start":1,"length":"end"})";
    EXPECT_TRUE(parse(testing::with_clip(track, R"("duration":5)")));
    for (const char* other : {R"({"type":"color","length":3})", R"({"type":"video","src":"v.mp4"})",
                              R"({"type":"audio","src":"a.wav","start":2})"}) {
        std::string spec = R"({"timeline":{"tracks":[{"clips":[)" + std::string(other) + R"(]},{"clips":[)" +
                           track + "]}]}}";
        EXPECT_TRUE(parse(spec)) << spec;
    }
    EXPECT_FALSE(parse(testing::with_clip(track)));
    std::string looping =
        R"({"timeline":{"tracks":[{"clips":[{"type":"video","src":"v.mp4","loop":true}]},{"clips":[)" +
        std::string(track) + "]}]}}";
    EXPECT_FALSE(parse(looping)) << "a looping video fills the timeline; it does not end it";
}

TEST(Timing, ValueOverloadAppliesTheSizeLimit) {
    Limits small;
    small.max_json_bytes = 100;
    auto json = boost::json::parse(with_clip(R"({"type":"text","text":")" + std::string(200, 'a') + "\"}"));
    auto spec = parse(json, {}, small);
    ASSERT_FALSE(spec);
    EXPECT_EQ(spec.error().errors.at(0).code, Code::limit_exceeded);
}

TEST(Timing, NumericTextIsWrittenWithoutTrailingZeros) {
    for (auto [json, text] : {std::pair{"2.5", "2.5"}, {"3.0", "3"}, {"2024", "2024"}, {"-1", "-1"}}) {
        Spec spec = parse_ok(with_clip(std::string(R"({"type":"text","text":)") + json + "}"));
        EXPECT_EQ(std::get<TextAsset>(spec.timeline.tracks.at(0).clips.at(0).asset).text, text) << json;
    }
}

}  // namespace
}  // namespace vidgen::spec
