#include <gtest/gtest.h>

#include "helpers.hpp"

namespace vidgen::spec {
namespace {

using testing::at;
using testing::describe;
using testing::problems_of;
using testing::with_clip;
using testing::with_output;

constexpr const char* kClip0 = "/timeline/tracks/0/clips/0";

struct Case {
    std::string json;     // the whole spec
    std::string pointer;  // where the problem must be reported
    std::string message;  // a part of its message
    Code code = Code::invalid_argument;
};

std::string clip_at(std::string_view field) {
    return std::string(kClip0) + std::string(field);
}

void expect_problem(const Case& c) {
    Problems problems = problems_of(c.json);
    const Error* error = at(problems, c.pointer);
    ASSERT_NE(error, nullptr) << "no problem at " << c.pointer << " for " << c.json << "\ngot:\n"
                              << describe(problems);
    EXPECT_NE(error->message.find(c.message), std::string::npos)
        << "at " << c.pointer << ": '" << error->message << "' lacks '" << c.message << "'";
    EXPECT_EQ(error->code, c.code) << c.pointer << ": " << error->message;
}

TEST(Errors, StructureAndRequiredFields) {
    const Case cases[] = {
        {"[]", "", "must be an object, got array"},
        {"{}", "/timeline", "is required"},
        {R"({"timeline":{}})", "/timeline/tracks", "is required"},
        {R"({"timeline":{"tracks":[]}})", "/timeline/tracks", "at least one track"},
        {R"({"timeline":{"tracks":[{}]}})", "/timeline/tracks/0/clips", "is required"},
        {R"({"timeline":{"tracks":{}}})", "/timeline/tracks", "must be an array, got object"},
        {with_clip("{}"), clip_at("/type"), "is required"},
        {with_clip("7"), kClip0, "must be an object, got number"},
        {with_clip(R"({"type":"gif"})"), clip_at("/type"),
         "must be one of: image, video, text, shape, color, audio"},
        {with_clip(R"({"type":"image"})"), clip_at("/src"), "is required"},
        {with_clip(R"({"type":"video"})"), clip_at("/src"), "is required"},
        {with_clip(R"({"type":"audio"})"), clip_at("/src"), "is required"},
        {with_clip(R"({"type":"text"})"), clip_at("/text"), "is required"},
        {R"({"timeline":{"soundtrack":{},"tracks":[{"clips":[]}]}})", "/timeline/soundtrack/src",
         "is required"},
        {with_clip(R"({"type":"color","opacity":[{"value":1}]})"), clip_at("/opacity/0/time"), "is required"},
        {with_clip(R"({"type":"color","opacity":[{"time":1}]})"), clip_at("/opacity/0/value"), "is required"},
        {with_clip(R"({"type":"color","effect":{"speed":1}})"), clip_at("/effect/type"), "is required"},
        {with_output(R"("range":{"start":1})"), "/output/range/length", "is required"},
    };
    for (const auto& c : cases) expect_problem(c);
}

TEST(Errors, UnknownFieldsSuggestTheNearestName) {
    const Case cases[] = {
        {with_clip(R"({"type":"color","lenght":2})"), clip_at("/lenght"),
         "unknown field 'lenght'; did you mean 'length'?"},
        {with_clip(R"({"type":"color","strat":2})"), clip_at("/strat"), "did you mean 'start'?"},
        {with_clip(R"({"type":"color","wobble":2})"), clip_at("/wobble"), "unknown field 'wobble'"},
        {with_clip(R"({"type":"image","src":"a","volume":1})"), clip_at("/volume"),
         "field 'volume' does not apply to image clips"},
        {with_clip(R"({"type":"audio","src":"a","x":1})"), clip_at("/x"), "does not apply to audio clips"},
        {with_clip(R"({"type":"text","text":"a","style":{"colour":"#fff"}})"), clip_at("/style/colour"),
         "did you mean 'color'?"},
        {with_output(R"("fsp":30)"), "/output/fsp", "did you mean 'fps'?"},
        {R"({"timline":{}})", "/timline", "did you mean 'timeline'?"},
        {with_clip(R"({"type":"color","a/b~c":1})"), clip_at("/a~1b~0c"), "unknown field 'a/b~c'"},
        {with_clip(R"({"type":"color","opacity":[{"time":0,"value":1,"esing":"linear"}]})"),
         clip_at("/opacity/0/esing"), "did you mean 'easing'?"},
        {with_clip(R"({"type":"color","effect":{"type":"zoom-in","sped":1}})"), clip_at("/effect/sped"),
         "did you mean 'speed'?"},
        {with_clip(R"({"type":"color","transition":{"inn":"fade"}})"), clip_at("/transition/inn"),
         "did you mean 'in'?"},
        {with_clip(R"({"type":"color","transition":{"in":{"type":"fade","duratio":1}}})"),
         clip_at("/transition/in/duratio"), "did you mean 'duration'?"},
        {with_clip(R"({"type":"shape","stroke":{"colr":"red"}})"), clip_at("/stroke/colr"),
         "did you mean 'color'?"},
        {with_clip(R"({"type":"text","text":"a","style":{"shadow":{"blurr":1}}})"),
         clip_at("/style/shadow/blurr"), "did you mean 'blur'?"},
        {with_clip(R"({"type":"text","text":"a","style":{"background":{"pading":1}}})"),
         clip_at("/style/background/pading"), "did you mean 'padding'?"},
        {R"({"timeline":{"soundtrack":{"src":"a.wav","volum":1},"tracks":[{"clips":[]}]}})",
         "/timeline/soundtrack/volum", "did you mean 'volume'?"},
        {R"({"timeline":{"tracks":[{"clips":[],"clip":[]}]}})", "/timeline/tracks/0/clip",
         "did you mean 'clips'?"},
        {with_output(R"("range":{"start":0,"lenght":1})"), "/output/range/lenght", "did you mean 'length'?"},
    };
    for (const auto& c : cases) expect_problem(c);
}

TEST(Errors, WrongTypesAndRanges) {
    const Case cases[] = {
        {with_clip(R"({"type":"color","start":-2})"), clip_at("/start"), "must be >= 0, got -2"},
        {with_clip(R"({"type":"color","start":"soon"})"), clip_at("/start"),
         "must be a number of seconds or \"auto\""},
        {with_clip(R"({"type":"color","length":0})"), clip_at("/length"), "must be > 0, got 0"},
        {with_clip(R"({"type":"color","length":"later"})"), clip_at("/length"), "\"auto\" or \"end\""},
        {with_clip(R"({"type":"color","length":true})"), clip_at("/length"), "must be a number, got boolean"},
        {with_clip(R"({"type":"color","opacity":1.5})"), clip_at("/opacity"), "must be <= 1, got 1.5"},
        {with_clip(R"({"type":"color","opacity":"50%"})"), clip_at("/opacity"),
         "must be a number, got string"},
        {with_clip(R"({"type":"color","x":"10em"})"), clip_at("/x"), "is not a length"},
        {with_clip(R"({"type":"color","x":null})"), clip_at("/x"), "must be a number of pixels or a string"},
        {with_clip(R"({"type":"color","width":0})"), clip_at("/width"), "must be > 0, got 0"},
        {with_clip(R"({"type":"color","width":"-5%"})"), clip_at("/width"), "must be > 0, got -5%"},
        {with_clip(R"({"type":"color","position":"middle"})"), clip_at("/position"),
         "must be one of: top-left, top,"},
        {with_clip(R"({"type":"image","src":"a","fit":"stretch"})"), clip_at("/fit"),
         "must be one of: cover, contain, contain-blur, fill, none; got 'stretch'"},
        {with_clip(R"({"type":"color","color":"#ggg"})"), clip_at("/color"), "is not a colour"},
        {with_clip(R"({"type":"color","color":123})"), clip_at("/color"), "must be a string, got number"},
        {with_clip(R"({"type":"video","src":"a","speed":8})"), clip_at("/speed"), "must be <= 4, got 8"},
        {with_clip(R"({"type":"video","src":"a","loop":"yes"})"), clip_at("/loop"),
         "must be true or false, got string"},
        {with_clip(R"({"type":"audio","src":"a","volume":-1})"), clip_at("/volume"), "must be >= 0, got -1"},
        {with_clip(R"({"type":"text","text":"a","style":{"weight":450.5}})"), clip_at("/style/weight"),
         "whole number"},
        {with_clip(R"({"type":"text","text":"a","style":{"weight":"heavy"}})"), clip_at("/style/weight"),
         "must be one of"},
        {with_clip(R"({"type":"text","text":"a","style":{"size":0}})"), clip_at("/style/size"),
         "must be > 0"},
        {with_clip(R"({"type":"text","text":["a"]})"), clip_at("/text"), "must be a string, got array"},
        {with_clip(R"({"type":"shape","shape":"star"})"), clip_at("/shape"),
         "must be one of: rectangle, ellipse, line"},
        {with_clip(R"({"type":"color","effect":"spin"})"), clip_at("/effect"),
         "must be one of: none, zoom-in"},
        {with_clip(R"({"type":"color","effect":{"type":"zoom-in","speed":0}})"), clip_at("/effect/speed"),
         "must be > 0"},
        {with_clip(R"({"type":"color","transition":{"in":"dissolve"}})"), clip_at("/transition/in"),
         "must be one of"},
        {with_clip(R"({"type":"color","transition":{"out":{"type":"fade","easing":"springy"}}})"),
         clip_at("/transition/out/easing"), "is not an easing"},
        {with_clip(R"({"type":"color","opacity":[]})"), clip_at("/opacity"), "non-empty array of keyframes"},
        {with_clip(R"({"type":"color","opacity":[{"time":0,"value":0},{"time":1,"value":2}]})"),
         clip_at("/opacity/1/value"), "must be <= 1, got 2"},
        {with_clip(R"({"type":"color","opacity":[{"time":-1,"value":0}]})"), clip_at("/opacity/0/time"),
         "must be >= 0, got -1"},
        {with_clip(R"({"type":"color","opacity":[{"time":0,"value":0,"easing":"fast"}]})"),
         clip_at("/opacity/0/easing"), "is not an easing"},
        {with_clip(R"({"type":"color","opacity":["x"]})"), clip_at("/opacity/0"),
         "must be an object, got string"},
        {with_clip(R"({"type":"color","color":[{"time":0,"value":"#12"}]})"), clip_at("/color/0/value"),
         "is not a colour"},
        {with_clip(R"({"type":"color","y":[{"time":0,"value":"3em"}]})"), clip_at("/y/0/value"),
         "is not a length"},
        {with_clip(R"({"type":"text","text":"a","style":"bold"})"), clip_at("/style"),
         "must be an object, got string"},
        {with_clip(R"({"type":"color","transition":{"in":{"type":"fade","duration":0}}})"),
         clip_at("/transition/in/duration"), "must be > 0, got 0"},
        {R"({"timeline":{"background":"navy","tracks":[{"clips":[]}]}})", "/timeline/background",
         "is not a colour"},
        {R"({"timeline":{"duration":0,"tracks":[{"clips":[]}]}})", "/timeline/duration",
         "must be > 0, got 0"},
        {with_output(R"("size":"8k")"), "/output/size", "must be one of: 1080p, 720p, square, vertical, 4k"},
        {with_output(R"("size":"720p","width":100)"), "/output/size", "either size or width and height"},
        {with_output(R"("width":640)"), "/output/height", "is required when width is given"},
        {with_output(R"("width":8,"height":8)"), "/output/width", "must be >= 16, got 8"},
        {with_output(R"("width":640.5,"height":360)"), "/output/width", "whole number"},
        {with_output(R"("fps":0)"), "/output/fps", "must be > 0, got 0"},
        {with_output(R"("format":"avi")"), "/output/format", "must be one of: mp4, webm, gif, png"},
        {with_output(R"("quality":"ultra")"), "/output/quality", "must be one of: draft, standard, high"},
        {with_output(R"("crf":60)"), "/output/crf", "must be <= 51, got 60"},
    };
    for (const auto& c : cases) expect_problem(c);
}

TEST(Errors, SemanticChecks) {
    const Case cases[] = {
        {with_clip(R"({"type":"color","start":12})", R"("duration":10)"), clip_at("/start"),
         "starts at 12 s, at or after the end of the timeline (duration 10 s)"},
        {with_clip(R"({"type":"color","length":"end"})"), clip_at("/length"), "\"end\" needs a known end"},
        {with_clip(R"({"type":"color"})", R"("duration":10)")
             .insert(1, R"("output":{"range":{"start":10,"length":1}},)"),
         "/output/range", "starts at 10 s, at or after the end of the timeline (10 s)"},
        {with_clip(R"({"type":"color"})", R"("duration":10)")
             .insert(1, R"("output":{"range":{"start":8,"length":3}},)"),
         "/output/range", "ends at 11 s, after the end of the timeline (10 s)"},
        {with_clip(R"({"type":"color","opacity":[{"time":1,"value":0},{"time":0.5,"value":1}]})"),
         clip_at("/opacity/1/time"), "keyframes must be in increasing time order: 0.5 does not come after 1"},
        {with_clip(R"({"type":"color","opacity":[{"time":1,"value":0},{"time":1,"value":1}]})"),
         clip_at("/opacity/1/time"), "increasing time order"},
        {with_clip(R"({"type":"color","length":1.5,"transition":{"in":"fade","out":"fade"}})"),
         clip_at("/transition"), "transitions (in 1 s + out 1 s) are longer than the clip (1.5 s)"},
        {with_clip(R"({"type":"color","transition":{"in":"crossfade"}})"), clip_at("/transition/in"),
         "nothing to crossfade from"},
        {R"({"timeline":{"duration":5,"tracks":[{"clips":[{"type":"image","src":"a"},{"type":"image","src":"b"}]}]}})",
         "/timeline/tracks/0/clips/1/start", "starts \"auto\" after a clip that lasts to the end"},
        {R"({"timeline":{"tracks":[{"clips":[{"type":"video","src":"a","loop":true},{"type":"color","length":1}]}]}})",
         "/timeline/tracks/0/clips/1/start", "lasts to the end of the timeline"},
        {with_output(R"("width":641,"height":360)"), "/output/width",
         "must be even for mp4 and webm, got 641"},
        {with_output(R"("format":"webm","width":640,"height":361)"), "/output/height", "must be even"},
    };
    for (const auto& c : cases) expect_problem(c);
}

TEST(Errors, RefusesUnsafeSources) {
    const Case cases[] = {
        {with_clip(R"({"type":"image","src":"file:///etc/passwd"})"), clip_at("/src"),
         "the 'file:' scheme is not allowed", Code::unsupported},
        {with_clip(R"({"type":"video","src":"concat:a.mp4|b.mp4"})"), clip_at("/src"), "'concat:' scheme",
         Code::unsupported},
        {with_clip(R"({"type":"image","src":"http://example.com/a.jpg"})"), clip_at("/src"), "'http:' scheme",
         Code::unsupported},
        {with_clip(R"({"type":"image","src":"data:image/png;base64,AAAA"})"), clip_at("/src"),
         "'data:' scheme", Code::unsupported},
        {with_clip(R"({"type":"image","src":"FTP://host/a"})"), clip_at("/src"), "'ftp:' scheme",
         Code::unsupported},
        {with_clip(R"({"type":"image","src":"https:/a"})"), clip_at("/src"), "https://host/path"},
        {with_clip(R"({"type":"image","src":"asset:"})"), clip_at("/src"), "asset:ID"},
        {with_clip(R"({"type":"image","src":""})"), clip_at("/src"), "must not be empty"},
        {with_clip(R"({"type":"image","src":"a\u0000b"})"), clip_at("/src"), "control characters"},
        {R"({"timeline":{"soundtrack":{"src":"file:/x"},"tracks":[{"clips":[]}]}})",
         "/timeline/soundtrack/src", "'file:' scheme", Code::unsupported},
        {with_clip(R"({"type":"text","text":"a","style":{"font_file":"file:///f.ttf"}})"),
         clip_at("/style/font_file"), "'file:' scheme", Code::unsupported},
    };
    for (const auto& c : cases) expect_problem(c);
}

TEST(Errors, ReportsEveryProblemNotOnlyTheFirst) {
    Problems problems = problems_of(with_clip(R"({"type":"color","start":-1,"opacity":2,"lenght":1})")
                                        .insert(1, R"("output":{"fps":-1,"format":"avi"},)"));
    EXPECT_EQ(problems.errors.size(), 5u) << describe(problems);
    EXPECT_TRUE(at(problems, "/output/fps"));
    EXPECT_TRUE(at(problems, "/output/format"));
    EXPECT_TRUE(at(problems, clip_at("/start")));
    EXPECT_TRUE(at(problems, clip_at("/opacity")));
    EXPECT_TRUE(at(problems, clip_at("/lenght")));
}

TEST(Errors, InvalidJsonSaysWhere) {
    Problems problems = problems_of("{\n  \"timeline\": {,}\n}");
    ASSERT_EQ(problems.errors.size(), 1u);
    EXPECT_NE(problems.errors[0].message.find("invalid JSON at line 2, column"), std::string::npos)
        << problems.errors[0].message;
    EXPECT_FALSE(parse("{} {}"));
    EXPECT_FALSE(parse(""));
}

}  // namespace
}  // namespace vidgen::spec
