// GET|POST /api/v1/templates, GET|PUT|DELETE /api/v1/templates/{id}.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api_fixture.hpp"

namespace vidgen::api::testing {
namespace {

namespace json = boost::json;

constexpr const char* kCardSpec =
    R"({"output":{"width":64,"height":64,"fps":10},"timeline":{"tracks":[{"clips":[)"
    R"({"type":"color","color":"{{colour}}","start":0,"length":"{{seconds|1}}"},)"
    R"({"type":"text","text":"Hello {{name}}","start":0,"length":1}]}]}})";

class TemplatesTest : public ApiTest {};

TEST_F(TemplatesTest, CreateValidatesWithMergeFieldsUnfilledAndListsThem) {
    auto reply = post("/api/v1/templates", std::string(R"({"name":"card","spec":)") + kCardSpec + "}");
    ASSERT_EQ(reply.status, 201) << reply.body;
    auto body = reply.json().as_object();
    EXPECT_EQ(body.at("version").as_int64(), 1);
    EXPECT_EQ(body.at("name").as_string(), "card");
    EXPECT_EQ(reply.headers.get("Location").value_or(""),
              "/api/v1/templates/" + std::string(body.at("id").as_string()));
    std::vector<std::string> names;
    for (const auto& field : body.at("merge_fields").as_array())
        names.emplace_back(field.at("name").as_string());
    EXPECT_THAT(names, ::testing::UnorderedElementsAre("colour", "seconds", "name"));
}

TEST_F(TemplatesTest, InvalidSpecIs422WithPointersUnderSpec) {
    auto reply = post("/api/v1/templates", R"({"spec":{"output":{"width":0},"timeline":{"tracks":[{"clips":[)"
                                           R"({"type":"color","color":"{{c}}","start":-1,"length":1}]}]}}})");
    ASSERT_EQ(reply.status, 422) << reply.body;
    auto fields = reply.error_fields();
    EXPECT_THAT(fields, ::testing::Contains("/spec/output/width"));
    EXPECT_THAT(fields, ::testing::Contains("/spec/timeline/tracks/0/clips/0/start"));
    EXPECT_THAT(fields, ::testing::Not(::testing::Contains("/spec/timeline/tracks/0/clips/0/color")));
    EXPECT_EQ(post("/api/v1/templates", R"({"name":"x"})").status, 422);
    EXPECT_EQ(post("/api/v1/templates", "nonsense").status, 400);
}

TEST_F(TemplatesTest, PutAddsVersionsAndOldOnesStayReadable) {
    std::string id = create_template(tiny_spec_json());
    auto updated = put("/api/v1/templates/" + id, std::string(R"({"spec":)") + kCardSpec + "}");
    ASSERT_EQ(updated.status, 200) << updated.body;
    EXPECT_EQ(updated.json().at("version").as_int64(), 2);
    EXPECT_EQ(updated.json().at("name").as_string(), "t");  // kept when not given
    EXPECT_EQ(get("/api/v1/templates/" + id).json().at("version").as_int64(), 2);
    auto old = get("/api/v1/templates/" + id + "?version=1");
    ASSERT_EQ(old.status, 200);
    EXPECT_EQ(old.json().at("spec"), json::parse(tiny_spec_json()));
    EXPECT_EQ(get("/api/v1/templates/" + id + "?version=9").status, 404);
    EXPECT_EQ(get("/api/v1/templates/" + id + "?version=zero").status, 400);
}

TEST_F(TemplatesTest, AJobRecordsTheVersionItUsed) {
    std::string id = create_template(tiny_spec_json());
    ASSERT_EQ(put("/api/v1/templates/" + id, R"({"spec":)" + tiny_spec_json() + "}").status, 200);
    auto job = create_job(R"({"template":")" + id + R"("})");
    ASSERT_EQ(job.status, 202) << job.body;
    EXPECT_EQ(job.json().at("template_version").as_int64(), 2);
}

TEST_F(TemplatesTest, ListShowsTheLatestVersionOfEachLiveTemplate) {
    std::string first = create_template(tiny_spec_json());
    std::string second = create_template(tiny_spec_json());
    ASSERT_EQ(del("/api/v1/templates/" + first).status, 204);
    auto reply = get("/api/v1/templates");
    ASSERT_EQ(reply.status, 200);
    auto list = reply.json().at("templates").as_array();
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].at("id").as_string(), second);
}

TEST_F(TemplatesTest, DeletedTemplatesAre404ButTheirVersionsStayForJobs) {
    std::string id = create_template(tiny_spec_json());
    ASSERT_EQ(del("/api/v1/templates/" + id).status, 204);
    EXPECT_EQ(get("/api/v1/templates/" + id).status, 404);
    EXPECT_EQ(del("/api/v1/templates/" + id).status, 404);
    EXPECT_EQ(create_job(R"({"template":")" + id + R"("})").status, 404);
    EXPECT_EQ(get("/api/v1/templates/" + id + "?version=1").status, 200);
}

TEST_F(TemplatesTest, AnotherTenantsTemplateIs404Everywhere) {
    std::string id = create_template(tiny_spec_json());
    EXPECT_EQ(get("/api/v1/templates/" + id, kKeyB).status, 404);
    EXPECT_EQ(put("/api/v1/templates/" + id, R"({"spec":)" + tiny_spec_json() + "}", kKeyB).status, 404);
    EXPECT_EQ(del("/api/v1/templates/" + id, kKeyB).status, 404);
    EXPECT_EQ(get("/api/v1/templates/" + id + "/preview", kKeyB).status, 404);
    EXPECT_EQ(create_job(R"({"template":")" + id + R"("})", kKeyB).status, 404);
    EXPECT_TRUE(get("/api/v1/templates", kKeyB).json().at("templates").as_array().empty());
    EXPECT_EQ(get("/api/v1/templates/" + id).status, 200);
}

TEST_F(TemplatesTest, SourcesMustBeUrlsOrAssetsUnlessTheyAreMergeFields) {
    std::string clip = R"({"output":{"width":64,"height":64,"fps":10},"timeline":{"tracks":[{"clips":[)"
                       R"({"type":"image","src":"SRC","start":0,"length":1}]}]}})";
    auto with_src = [&](const std::string& src) {
        std::string spec = clip;
        spec.replace(spec.find("SRC"), 3, src);
        return post("/api/v1/templates", R"({"spec":)" + spec + "}");
    };
    auto local = with_src("logo.png");
    ASSERT_EQ(local.status, 422) << local.body;
    EXPECT_EQ(local.error_fields(), std::vector<std::string>{"/spec/timeline/tracks/0/clips/0/src"});
    EXPECT_EQ(with_src("{{logo}}").status, 201);
    EXPECT_EQ(with_src("asset:a_1").status, 201);
}

}  // namespace
}  // namespace vidgen::api::testing
