#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "helpers.hpp"

namespace vidgen::spec {
namespace {

namespace json = boost::json;

json::object load_schema() {
    std::ifstream in(std::filesystem::path(VIDGEN_SOURCE_DIR) / "docs/spec.schema.json");
    std::ostringstream text;
    text << in.rdbuf();
    return json::parse(text.str()).as_object();
}

// The property names a clip definition allows: its own and those of the definitions it refers to.
std::set<std::string> clip_fields(const json::object& defs, std::string_view kind) {
    const auto& clip = defs.at(std::string(kind) + "_clip").as_object();
    std::set<std::string> fields;
    auto add = [&](const json::object& def) {
        for (const auto& [name, _] : def.at("properties").as_object()) fields.insert(std::string(name));
    };
    add(clip);
    for (const auto& part : clip.at("allOf").as_array()) {
        std::string_view ref = part.at("$ref").as_string();
        add(defs.at(ref.substr(ref.rfind('/') + 1)).as_object());
    }
    return fields;
}

bool refused_as_unknown(const Problems& problems, const std::string& pointer) {
    const Error* e = testing::at(problems, pointer);
    return e && (e->message.starts_with("unknown field") ||
                 e->message.find("does not apply") != std::string::npos);
}

TEST(Schema, ClipFieldsMatchWhatTheParserAccepts) {
    json::object schema = load_schema();
    const auto& defs = schema.at("$defs").as_object();
    const char* kinds[] = {"image", "video", "text", "shape", "color", "audio"};
    std::set<std::string> every;
    for (const char* kind : kinds) every.merge(clip_fields(defs, kind));
    for (const char* kind : kinds) {
        std::set<std::string> allowed = clip_fields(defs, kind);
        for (const auto& field : every) {
            if (field == "type" || field == "src" || field == "text") continue;  // present in every probe
            std::string clip =
                std::string(R"({"type":")") + kind + R"(","src":"a","text":"a",")" + field + "\":null}";
            auto parsed = parse(testing::with_clip(clip, R"("duration":5)"));
            Problems problems = parsed ? Problems{} : parsed.error();
            std::string pointer = "/timeline/tracks/0/clips/0/" + field;
            EXPECT_EQ(refused_as_unknown(problems, pointer), !allowed.contains(field))
                << kind << "." << field;
        }
    }
}

TEST(Schema, OutputAndTimelineFieldsMatch) {
    json::object schema = load_schema();
    const auto& props = schema.at("properties").as_object();
    for (const char* section : {"output", "timeline"}) {
        for (const auto& [name, _] : props.at(section).at("properties").as_object()) {
            std::string spec = std::string(R"({"timeline":{"tracks":[{"clips":[]}]},")") + section +
                               "\":{\"" + std::string(name) + "\":null}}";
            if (std::string_view(section) == "timeline")
                spec = R"({"timeline":{"tracks":[{"clips":[]}],")" + std::string(name) + "\":null}}";
            auto parsed = parse(spec);
            Problems problems = parsed ? Problems{} : parsed.error();
            EXPECT_FALSE(refused_as_unknown(problems, "/" + std::string(section) + "/" + std::string(name)))
                << section << "." << std::string_view(name);
        }
    }
}

}  // namespace
}  // namespace vidgen::spec
