// The dashboard's files over HTTP: GET / and every /web/ file index.html names, with their content types,
// ETags, 304s and cache lifetimes (a year for content-hashed names, revalidation otherwise), no key needed;
// examples.json holds every example of examples/.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <regex>
#include <set>

#include "api_fixture.hpp"

namespace vidgen::api::testing {
namespace {

class WebTest : public ApiTest {
  protected:
    std::string header(const Reply& reply, std::string_view name) {
        return std::string(reply.headers.get(name).value_or(""));
    }

    // The /web/ paths index.html refers to (src="…" and href="…").
    std::vector<std::string> referenced_files() {
        Reply page = get("/", "");
        std::vector<std::string> files;
        static const std::regex kReference(R"re((?:src|href)="(/web/[^"]+)")re");
        for (std::sregex_iterator it(page.body.begin(), page.body.end(), kReference), end; it != end; ++it) {
            files.push_back((*it)[1]);
        }
        return files;
    }

    std::string expected_type(std::string_view path) {
        if (path.ends_with(".js")) return "text/javascript; charset=utf-8";
        if (path.ends_with(".css")) return "text/css; charset=utf-8";
        if (path.ends_with(".svg")) return "image/svg+xml";
        ADD_FAILURE() << "no expectation for " << path;
        return {};
    }
};

TEST_F(WebTest, ThePageIsServedAtTheRootWithoutAKey) {
    Reply reply = get("/", "");
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(header(reply, "Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(header(reply, "Cache-Control"), "no-cache");
    EXPECT_TRUE(header(reply, "ETag").starts_with("W/\"")) << header(reply, "ETag");
    EXPECT_NE(reply.body.find("<title>vidgen</title>"), std::string::npos);
    EXPECT_NE(header(reply, "Content-Security-Policy").find("default-src 'self'"), std::string::npos);
}

TEST_F(WebTest, EveryFileThePageNamesIsServedWithItsTypeAndCachedForAYear) {
    std::vector<std::string> files = referenced_files();
    ASSERT_GE(files.size(), 5u) << "index.html names too few files";
    std::set<std::string> kinds;
    for (const auto& path : files) {
        Reply reply = get(path, "");
        ASSERT_EQ(reply.status, 200) << path;
        EXPECT_EQ(header(reply, "Content-Type"), expected_type(path)) << path;
        EXPECT_EQ(header(reply, "Cache-Control"), "public, max-age=31536000, immutable") << path;
        EXPECT_FALSE(header(reply, "ETag").empty()) << path;
        EXPECT_FALSE(reply.body.empty()) << path;
        kinds.insert(path.substr(path.rfind('.')));
    }
    EXPECT_EQ(kinds, (std::set<std::string>{".css", ".js", ".svg"}));
}

TEST_F(WebTest, TheHashedAndThePlainNameServeTheSameFile) {
    for (const auto& path : referenced_files()) {
        std::smatch parts;
        static const std::regex kHashed(R"(/web/([a-z]+)\.([0-9a-f]{12})(\.[a-z]+))");
        ASSERT_TRUE(std::regex_match(path, parts, kHashed)) << path << " is not a content-hashed name";
        Reply hashed = get(path, "");
        Reply plain = get("/web/" + parts[1].str() + parts[3].str(), "");
        ASSERT_EQ(plain.status, 200) << path;
        EXPECT_EQ(plain.body, hashed.body) << path;
        EXPECT_EQ(header(plain, "Cache-Control"), "no-cache") << path;
        EXPECT_EQ(header(plain, "ETag"), header(hashed, "ETag")) << path;
        EXPECT_NE(header(plain, "ETag").find(parts[2].str()), std::string::npos) << path;
    }
}

TEST_F(WebTest, AMatchingIfNoneMatchIsA304WithoutBody) {
    Reply first = get("/", "");
    const std::string etag = header(first, "ETag");
    ASSERT_FALSE(etag.empty());
    for (const std::string& sent : {etag, etag.substr(2), "\"other\", " + etag, std::string("*")}) {
        Reply again = send({.target = "/", .headers = {{"If-None-Match", sent}}, .key = ""});
        EXPECT_EQ(again.status, 304) << sent;
        EXPECT_TRUE(again.body.empty()) << sent;
        EXPECT_EQ(header(again, "ETag"), etag) << sent;
    }
    Reply changed =
        send({.target = "/", .headers = {{"If-None-Match", "W/\"an-older-version\""}}, .key = ""});
    EXPECT_EQ(changed.status, 200);
    EXPECT_EQ(changed.body, first.body);
}

TEST_F(WebTest, AnUnknownFileIsAJson404) {
    for (const char* target : {"/web/missing.js", "/web/index.html", "/web/app.000000000000.js"}) {
        Reply reply = get(target, "");
        EXPECT_EQ(reply.status, 404) << target;
        EXPECT_EQ(reply.json().at("error").at("code"), "not_found") << target;
    }
}

TEST_F(WebTest, ExamplesJsonHoldsEveryExampleSpec) {
    Reply reply = get("/web/examples.json", "");
    ASSERT_EQ(reply.status, 200);
    EXPECT_EQ(header(reply, "Content-Type"), "application/json");
    std::set<std::string> served;
    const boost::json::value examples = reply.json();
    ASSERT_TRUE(examples.is_array()) << reply.body.substr(0, 200);
    for (const auto& example : examples.as_array()) {
        served.insert(std::string(example.at("name").as_string()));
        EXPECT_TRUE(example.at("spec").at("timeline").is_object()) << example.at("name");
    }
    std::set<std::string> on_disk;
    for (const auto& entry : std::filesystem::directory_iterator(VIDGEN_SOURCE_DIR "/examples")) {
        if (std::filesystem::exists(entry.path() / "spec.json")) on_disk.insert(entry.path().filename());
    }
    EXPECT_FALSE(on_disk.empty());
    EXPECT_EQ(served, on_disk);
}

}  // namespace
}  // namespace vidgen::api::testing
