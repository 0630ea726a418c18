#include <gtest/gtest.h>

#include "helpers.hpp"
#include "spec/merge.hpp"

namespace vidgen::spec {
namespace {

namespace json = boost::json;
using testing::data_of;

json::value filled(std::string_view spec, std::string_view data) {
    auto out = fill_merge_fields(json::parse(spec), data_of(data));
    if (!out) {
        ADD_FAILURE() << testing::describe(out.error());
        return {};
    }
    return *out;
}

TEST(Merge, FillsStringsAndKeepsTypesOfWholePlaceholders) {
    struct Case {
        const char* spec;
        const char* data;
        const char* expected;
    };
    const Case cases[] = {
        {R"(["Hello, {{name}}!"])", R"({"name":"Ada"})", R"(["Hello, Ada!"])"},
        {R"(["{{ name }}"])", R"({"name":"Ada"})", R"(["Ada"])"},
        {R"(["{{t}}"])", R"({"t":3})", R"([3])"},
        {R"(["{{t}}"])", R"({"t":2.5})", R"([2.5])"},
        {R"(["{{flag}}"])", R"({"flag":true})", R"([true])"},
        {R"(["{{obj}}"])", R"({"obj":{"a":[1]}})", R"([{"a":[1]}])"},
        {R"(["{{t}} s"])", R"({"t":3.0})", R"(["3 s"])"},
        {R"(["{{t}} s"])", R"({"t":0.1})", R"(["0.1 s"])"},
        {R"(["n={{n}}"])", R"({"n":-42})", R"(["n=-42"])"},
        {R"(["{{a}}{{b}}"])", R"({"a":"x","b":1})", R"(["x1"])"},
        {R"(["{{name|friend}}"])", R"({})", R"(["friend"])"},
        {R"(["Hi {{ name | dear friend }}!"])", R"({})", R"(["Hi dear friend!"])"},
        {R"(["{{t|3}}"])", R"({})", R"([3])"},
        {R"(["{{t|3}} s"])", R"({})", R"(["3 s"])"},
        {R"(["{{on|false}}"])", R"({})", R"([false])"},
        {R"(["{{name|friend}}"])", R"({"name":"Ada"})", R"(["Ada"])"},
        {R"(["{{user.name}}"])", R"({"user":{"name":"Ada"}})", R"(["Ada"])"},
        {R"(["{{a.b}}"])", R"({"a.b":"flat"})", R"(["flat"])"},
        {R"(["{{x}}"])", R"({"x":"{{y}}","y":"no"})", R"(["{{y}}"])"},
        {R"(["{{}} {{ bad name }} {{x"])", R"({})", R"(["{{}} {{ bad name }} {{x"])"},
        {R"({"k":{"deep":["{{v}}"]}})", R"({"v":1})", R"({"k":{"deep":[1]}})"},
        {R"({"{{key}}":1})", R"({"key":"x"})", R"({"{{key}}":1})"},
    };
    for (const auto& c : cases) EXPECT_EQ(filled(c.spec, c.data), json::parse(c.expected)) << c.spec;
}

TEST(Merge, MissingFieldNamesTheFieldAndThePointer) {
    auto out =
        fill_merge_fields(json::parse(R"({"timeline":{"tracks":[{"clips":[{"text":"Hi {{who}}, {{when}}"}]}],
        "a/b":"{{x|ok}}"}})"),
                          data_of(R"({"when":"now"})"));
    ASSERT_FALSE(out);
    ASSERT_EQ(out.error().errors.size(), 1u);
    const Error& e = out.error().errors[0];
    EXPECT_EQ(e.pointer, "/timeline/tracks/0/clips/0/text");
    EXPECT_NE(e.message.find("merge field 'who' has no value"), std::string::npos) << e.message;
    EXPECT_NE(e.message.find("{{who|default}}"), std::string::npos) << e.message;
}

TEST(Merge, EveryMissingFieldIsReported) {
    auto out = fill_merge_fields(json::parse(R"(["{{a}}", {"k~":"{{b}}"}])"), {});
    ASSERT_FALSE(out);
    ASSERT_EQ(out.error().errors.size(), 2u);
    EXPECT_EQ(out.error().errors[0].pointer, "/0");
    EXPECT_EQ(out.error().errors[1].pointer, "/1/k~0");
}

TEST(Merge, MissingFieldReportsAreCapped) {
    json::array many;
    for (int i = 0; i < 1000; ++i) many.emplace_back("{{missing}}");
    auto out = fill_merge_fields(many, {});
    ASSERT_FALSE(out);
    EXPECT_EQ(out.error().errors.size(), 100u);
}

TEST(Merge, ListsFieldsOnceInDocumentOrder) {
    auto fields = list_merge_fields(
        json::parse(R"({"a":"{{title}} and {{ name | friend }}","b":["{{title}}","{{t}}"]})"));
    ASSERT_EQ(fields.size(), 3u);
    EXPECT_EQ(fields[0].name, "title");
    EXPECT_FALSE(fields[0].fallback);
    EXPECT_EQ(fields[0].pointer, "/a");
    EXPECT_EQ(fields[1].name, "name");
    EXPECT_EQ(fields[1].fallback, "friend");
    EXPECT_EQ(fields[2].name, "t");
    EXPECT_EQ(fields[2].pointer, "/b/1");
    EXPECT_TRUE(list_merge_fields(json::parse(R"({"a":"no fields {{ }}"})")).empty());
}

TEST(Merge, ParseFillsMergeFieldsBeforeTypedParsing) {
    Spec spec = testing::parse_ok(
        testing::with_clip(R"({"type":"text","text":"Hello, {{name|friend}}","start":"{{t}}",
        "length":"{{len|2}}","style":{"color":"{{brand}}"}})"),
        data_of(R"({"t":1.5,"brand":"#ff0000"})"));
    const Clip& clip = spec.timeline.tracks.at(0).clips.at(0);
    EXPECT_EQ(std::get<TextAsset>(clip.asset).text, "Hello, friend");
    EXPECT_EQ(clip.start.seconds, 1.5);
    EXPECT_EQ(clip.length.seconds, 2);
    EXPECT_EQ(std::get<TextAsset>(clip.asset).style.color.value, (Color{1, 0, 0, 1}));
}

TEST(Merge, ParseReportsMissingFieldsAndTypeErrorsFromData) {
    Problems missing = testing::problems_of(testing::with_clip(R"({"type":"image","src":"{{photo}}"})"));
    ASSERT_EQ(missing.errors.size(), 1u);
    EXPECT_EQ(missing.errors[0].pointer, "/timeline/tracks/0/clips/0/src");
    Problems wrong = testing::problems_of(testing::with_clip(R"({"type":"color","start":"{{t}}"})"),
                                          data_of(R"({"t":"soon"})"));
    ASSERT_TRUE(testing::at(wrong, "/timeline/tracks/0/clips/0/start")) << testing::describe(wrong);
}

TEST(Merge, DataCannotSmuggleAnUnsafeSource) {
    Problems problems = testing::problems_of(testing::with_clip(R"({"type":"image","src":"{{photo}}"})"),
                                             data_of(R"({"photo":"file:///etc/passwd"})"));
    const Error* e = testing::at(problems, "/timeline/tracks/0/clips/0/src");
    ASSERT_TRUE(e) << testing::describe(problems);
    EXPECT_EQ(e->code, Code::unsupported);
}

}  // namespace
}  // namespace vidgen::spec
