#include <gtest/gtest.h>

#include <string>

#include "helpers.hpp"

namespace vidgen::spec {
namespace {

using testing::at;
using testing::describe;
using testing::problems_of;
using testing::with_clip;
using testing::with_output;

Error only_problem(const Problems& problems) {
    EXPECT_EQ(problems.errors.size(), 1u) << describe(problems);
    return problems.errors.empty() ? Error{} : problems.errors[0];
}

TEST(Hostile, DeepNestingIsACleanLimitError) {
    std::string deep = std::string(100000, '[') + std::string(100000, ']');
    Error e = only_problem(problems_of(deep));
    EXPECT_EQ(e.code, Code::limit_exceeded);
    EXPECT_NE(e.message.find("deeper than 32"), std::string::npos) << e.message;
    std::string deep_objects;
    for (int i = 0; i < 100000; ++i) deep_objects += "{\"a\":";
    deep_objects += "1" + std::string(100000, '}');
    EXPECT_EQ(only_problem(problems_of(deep_objects)).code, Code::limit_exceeded);
}

TEST(Hostile, NestingJustInsideTheLimitParses) {
    Limits limits;
    limits.max_depth = 8;
    std::string spec = with_clip(R"({"type":"color","opacity":[{"time":0,"value":1}]})");  // 7 levels
    EXPECT_TRUE(parse(spec, {}, limits)) << spec;
    limits.max_depth = 6;
    EXPECT_EQ(only_problem(problems_of(spec, {}, limits)).code, Code::limit_exceeded);
}

TEST(Hostile, DeepDataValuesAreCaughtAfterMerging) {
    boost::json::value deep = 1;
    for (int i = 0; i < 40; ++i) deep = boost::json::array{deep};
    boost::json::object data{{"v", deep}};
    EXPECT_EQ(only_problem(problems_of(with_clip(R"({"type":"color","x":"{{v}}"})"), data)).code,
              Code::limit_exceeded);
}

TEST(Hostile, DeepValueOverloadInputIsRefusedWithoutRecursingThroughIt) {
    boost::json::value deep = 1;
    for (int i = 0; i < 100000; ++i) {
        boost::json::array wrapper;
        wrapper.emplace_back(std::move(deep));
        deep = std::move(wrapper);
    }
    auto spec = parse(deep);
    ASSERT_FALSE(spec);
    EXPECT_EQ(spec.error().errors.at(0).code, Code::limit_exceeded);
}

TEST(Hostile, TwentyMegabyteStringIsOverTheSizeLimit) {
    std::string huge = with_clip("{\"type\":\"text\",\"text\":\"" + std::string(20u << 20, 'a') + "\"}");
    Error e = only_problem(problems_of(huge));
    EXPECT_EQ(e.code, Code::limit_exceeded);
    EXPECT_NE(e.message.find("the limit is 8388608"), std::string::npos) << e.message;
}

TEST(Hostile, LongStringsInsideTheSizeLimitHitFieldLimits) {
    Limits generous;
    generous.max_json_bytes = 64u << 20;
    std::string text = with_clip("{\"type\":\"text\",\"text\":\"" + std::string(20u << 20, 'a') + "\"}");
    Problems long_text = problems_of(text, {}, generous);
    const Error* e = at(long_text, "/timeline/tracks/0/clips/0/text");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->code, Code::limit_exceeded);
    std::string src = with_clip("{\"type\":\"image\",\"src\":\"" + std::string(1u << 20, 'a') + "\"}");
    Problems long_src = problems_of(src);
    e = at(long_src, "/timeline/tracks/0/clips/0/src");
    ASSERT_TRUE(e);
    EXPECT_NE(e->message.find("longer than 4096 bytes"), std::string::npos) << e->message;
    std::string key(1u << 20, 'k');
    Problems long_key = problems_of(with_clip("{\"type\":\"color\",\"" + key + "\":1}"));
    e = at(long_key, "/timeline/tracks/0/clips/0/" + key);
    ASSERT_TRUE(e);
    EXPECT_LT(e->message.size(), 200u);
}

TEST(Hostile, TextLengthCountsCharactersNotBytes) {
    std::string euros;
    for (int i = 0; i < 10000; ++i) euros += "\u20ac";  // 3 bytes each
    EXPECT_TRUE(parse(with_clip("{\"type\":\"text\",\"text\":\"" + euros + "\"}")));
    Problems too_long = problems_of(with_clip("{\"type\":\"text\",\"text\":\"" + euros + "x\"}"));
    const Error* e = at(too_long, "/timeline/tracks/0/clips/0/text");
    ASSERT_TRUE(e);
    EXPECT_NE(e->message.find("has 10001 characters; the limit is 10000"), std::string::npos) << e->message;
}

TEST(Hostile, HugeAndNonFiniteNumbers) {
    struct Case {
        std::string json;
        std::string pointer;
        std::string message;
        Code code;
    };
    const Case cases[] = {
        {with_output(R"("width":1e308,"height":1080)"), "/output/width", "must be <= 7680, got 1e+308",
         Code::limit_exceeded},
        {with_output(R"("width":1920,"height":1e400)"), "/output/height", "must be a finite number",
         Code::invalid_argument},
        {with_output(R"("fps":1000)"), "/output/fps", "must be <= 120, got 1000", Code::limit_exceeded},
        {with_output(R"("fps":"NaN")"), "/output/fps", "must be a number, got string",
         Code::invalid_argument},
        {with_output(R"("fps":"Infinity")"), "/output/fps", "must be a number, got string",
         Code::invalid_argument},
        {with_clip(R"({"type":"color","start":-1e400})"), "/timeline/tracks/0/clips/0/start", "finite",
         Code::invalid_argument},
        {with_clip(R"({"type":"color","x":"NaNpx"})"), "/timeline/tracks/0/clips/0/x", "is not a length",
         Code::invalid_argument},
        {with_clip(R"({"type":"color","x":"infvw"})"), "/timeline/tracks/0/clips/0/x", "is not a length",
         Code::invalid_argument},
        {with_clip(R"({"type":"color","x":1e300})"), "/timeline/tracks/0/clips/0/x", "must be <= 1000000",
         Code::invalid_argument},
        {with_clip(R"({"type":"color","start":18446744073709551615})"), "/timeline/tracks/0/clips/0/start",
         "must be <= 3600", Code::limit_exceeded},
        {with_clip(R"({"type":"color"})", R"("duration":7200)"), "/timeline/duration", "must be <= 3600",
         Code::limit_exceeded},
        {with_clip(R"({"type":"color","start":3000,"length":1000})"), "/timeline/tracks/0/clips/0/length",
         "ends after 3600 s", Code::limit_exceeded},
    };
    for (const auto& c : cases) {
        Problems problems = problems_of(c.json);
        const Error* e = at(problems, c.pointer);
        ASSERT_TRUE(e) << c.pointer << "\n" << describe(problems);
        EXPECT_NE(e->message.find(c.message), std::string::npos) << e->message;
        EXPECT_EQ(e->code, c.code) << e->message;
    }
}

TEST(Hostile, CountLimitsOnTracksClipsAndKeyframes) {
    Limits limits;
    limits.max_tracks = 2;
    limits.max_clips = 3;
    limits.max_keyframes = 2;
    std::string three_tracks = R"({"timeline":{"tracks":[{"clips":[]},{"clips":[]},{"clips":[]}]}})";
    EXPECT_EQ(only_problem(problems_of(three_tracks, {}, limits)).pointer, "/timeline/tracks");
    std::string four_clips = R"({"timeline":{"tracks":[{"clips":[{"type":"color"},{"type":"color"}]},
        {"clips":[{"type":"color"},{"type":"color"}]}]}})";
    Error e = only_problem(problems_of(four_clips, {}, limits));
    EXPECT_EQ(e.pointer, "/timeline/tracks/1/clips");
    EXPECT_EQ(e.code, Code::limit_exceeded);
    std::string keys = with_clip(R"({"type":"color","opacity":[{"time":0,"value":0},{"time":1,"value":1},
        {"time":2,"value":0}]})");
    EXPECT_EQ(only_problem(problems_of(keys, {}, limits)).pointer, "/timeline/tracks/0/clips/0/opacity");
}

TEST(Hostile, WhitespaceAroundTheDocumentIsFineTrailingDataIsNot) {
    std::string spec = with_clip(R"({"type":"color"})");
    EXPECT_TRUE(parse(" \n\t" + spec + " \r\n "));
    Error e = only_problem(problems_of(spec + " {}"));
    EXPECT_NE(e.message.find("invalid JSON at line 1"), std::string::npos) << e.message;
}

TEST(Hostile, OverlongLengthStringIsAProblemNotACrash) {
    Problems problems = problems_of(with_clip(R"({"type":"color","x":")" + std::string(1000, '9') + "px\"}"));
    const Error* e = at(problems, "/timeline/tracks/0/clips/0/x");
    ASSERT_TRUE(e) << describe(problems);
    EXPECT_EQ(e->code, Code::limit_exceeded);
}

TEST(Hostile, ProblemReportsAreCapped) {
    std::string clips;
    for (int i = 0; i < 500; ++i) clips += std::string(i ? "," : "") + R"({"type":"nope"})";
    Problems problems = problems_of(R"({"timeline":{"tracks":[{"clips":[)" + clips + "]}]}}");
    EXPECT_EQ(problems.errors.size(), 101u);
    EXPECT_NE(problems.errors.back().message.find("too many problems"), std::string::npos);
}

}  // namespace
}  // namespace vidgen::spec
