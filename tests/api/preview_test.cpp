// GET|POST /api/v1/templates/{id}/preview.
#include <gtest/gtest.h>

#include "api_fixture.hpp"

namespace vidgen::api::testing {
namespace {

constexpr const char* kColourSpec =
    R"({"output":{"width":64,"height":48,"fps":10},"timeline":{"tracks":[{"clips":[)"
    R"({"type":"color","color":"{{colour|#0000ff}}","start":0,"length":2}]}]}})";

class PreviewTest : public ApiTest {};

TEST_F(PreviewTest, RendersOneFrameInTheAskedFormat) {
    std::string id = create_template(kColourSpec);
    auto png = get("/api/v1/templates/" + id + "/preview?t=0.5&format=png");
    ASSERT_EQ(png.status, 200) << png.body;
    EXPECT_EQ(png.headers.get("Content-Type").value_or(""), "image/png");
    EXPECT_EQ(png.body.substr(1, 3), "PNG");
    auto jpeg = get("/api/v1/templates/" + id + "/preview");
    ASSERT_EQ(jpeg.status, 200) << jpeg.body;
    EXPECT_EQ(jpeg.body.substr(0, 2), "\xFF\xD8");
    auto webp = get("/api/v1/templates/" + id + "/preview?format=webp");
    ASSERT_EQ(webp.status, 200) << webp.body;
    EXPECT_EQ(webp.body.substr(8, 4), "WEBP");
}

TEST_F(PreviewTest, DataFromTheQueryOrTheBodyChangesTheFrame) {
    std::string id = create_template(kColourSpec);
    std::string target = "/api/v1/templates/" + id + "/preview?format=png";
    auto fallback = get(target);
    auto red = get(target + "&data.colour=%23ff0000");
    auto red_again = post(target, R"({"data":{"colour":"#ff0000"}})");
    ASSERT_EQ(red.status, 200) << red.body;
    ASSERT_EQ(red_again.status, 200) << red_again.body;
    EXPECT_NE(fallback.body, red.body);
    EXPECT_EQ(red.body, red_again.body);
}

TEST_F(PreviewTest, FramesAreCachedUntilTheTemplateChanges) {
    std::string id = create_template(kColourSpec);
    std::string target = "/api/v1/templates/" + id + "/preview?t=1&format=png";
    EXPECT_EQ(get(target).headers.get("X-Preview-Cache").value_or(""), "MISS");
    EXPECT_EQ(get(target).headers.get("X-Preview-Cache").value_or(""), "HIT");
    ASSERT_EQ(put("/api/v1/templates/" + id, std::string(R"({"spec":)") + kColourSpec + "}").status, 200);
    EXPECT_EQ(get(target).headers.get("X-Preview-Cache").value_or(""), "MISS");
}

TEST_F(PreviewTest, BadParametersAndSpecsAreRefused) {
    std::string id = create_template(kColourSpec);
    std::string base = "/api/v1/templates/" + id + "/preview";
    EXPECT_EQ(get(base + "?t=-1").status, 400);
    EXPECT_EQ(get(base + "?t=abc").status, 400);
    EXPECT_EQ(get(base + "?format=gif").status, 400);
    EXPECT_EQ(get(base + "?data.colour=notacolour").status, 422);
    EXPECT_EQ(post(base, "{bad json").status, 400);
    EXPECT_EQ(get("/api/v1/templates/nope/preview").status, 404);
}

TEST_F(PreviewTest, LocalFilesAreRefused) {
    std::string id =
        create_template(R"({"output":{"width":64,"height":48,"fps":10},"timeline":{"tracks":[{"clips":[)"
                        R"({"type":"image","src":"{{image}}","start":0,"length":1}]}]}})");
    auto reply = get("/api/v1/templates/" + id + "/preview?data.image=/etc/passwd");
    ASSERT_EQ(reply.status, 422) << reply.body;
    EXPECT_EQ(reply.json().at("error").at("field").as_string(), "/spec/timeline/tracks/0/clips/0/src");
}

}  // namespace
}  // namespace vidgen::api::testing
