// GET /api/v1/metadata/{id}: probe metadata of an asset or of a job output's content key, cached under the
// asset's tag; unknown ids, other tenants' assets and content that is no media.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api_fixture.hpp"
#include "core/hash.hpp"
#include "media_samples.hpp"

namespace vidgen::api::testing {
namespace {

namespace json = boost::json;

class MetadataTest : public ApiTest {
  protected:
    json::object upload(const std::string& body, const std::string& key = kKeyA) {
        Reply reply = send({.method = http::Method::post,
                            .target = "/api/v1/assets",
                            .body = body,
                            .headers = {{"Content-Type", "application/octet-stream"}},
                            .key = key});
        EXPECT_EQ(reply.status, 201) << reply.body;
        return reply.json().is_object() ? reply.json().as_object() : json::object{};
    }
    // Stores `bytes` in the blob store directly, as a worker stores an output, and returns the key.
    std::string store_output(const std::string& bytes, std::string_view content_type) {
        auto writer = must(blobs_->begin_put(1 << 20));
        must(writer->write(bytes));
        return must(writer->commit(content_type)).key;
    }
};

TEST_F(MetadataTest, AnAssetsMetadataHasItsProbe) {
    std::string mp4 = mp4_bytes();
    std::string id(upload(mp4)["id"].as_string());
    Reply reply = get("/api/v1/metadata/" + id);
    ASSERT_EQ(reply.status, 200) << reply.body;
    json::value meta = reply.json();
    EXPECT_EQ(meta.at("id").as_string(), id);
    EXPECT_EQ(meta.at("sha256").as_string(), sha256_hex(mp4));
    EXPECT_EQ(meta.at("key").as_string(), sha256_hex(mp4) + ".mp4");
    EXPECT_EQ(meta.at("size").to_number<std::size_t>(), mp4.size());
    EXPECT_EQ(meta.at("content_type"), "video/mp4");
    const json::value& probe = meta.at("probe");
    EXPECT_EQ(probe.at("kind"), "video");
    EXPECT_NEAR(probe.at("duration").to_number<double>(), 1.0, 0.1);
    EXPECT_EQ(probe.at("width").to_number<int>(), 64);
    EXPECT_EQ(probe.at("height").to_number<int>(), 32);
    ASSERT_FALSE(probe.at("streams").as_array().empty());
    EXPECT_EQ(probe.at("streams").at(0).at("codec"), "h264");
}

TEST_F(MetadataTest, AnOutputKeyHasMetadataToo) {
    std::string key = store_output(wav_bytes(), "audio/wav");
    Reply reply = get("/api/v1/metadata/" + key, kKeyB);
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(reply.json().at("key").as_string(), key);
    EXPECT_EQ(reply.json().at("probe").at("kind"), "audio");
    EXPECT_NEAR(reply.json().at("probe").at("duration").to_number<double>(), 0.1, 0.02);
}

TEST_F(MetadataTest, ProbesAreCachedUnderTheAssetsTag) {
    std::string png = image_bytes(scratch_->path(), "m.png", 4, 4);
    std::string key = sha256_hex(png) + ".png";
    std::string id(upload(png)["id"].as_string());
    cache_->invalidate_tag("asset:" + id);
    ASSERT_FALSE(cache_->get("probe:" + key).value().has_value());
    ASSERT_EQ(get("/api/v1/metadata/" + id).status, 200);
    EXPECT_TRUE(cache_->get("probe:" + key).value().has_value());
    EXPECT_GE(cache_->invalidate_tag("asset:" + id).value(), 1u);
    EXPECT_FALSE(cache_->get("probe:" + key).value().has_value());
}

TEST_F(MetadataTest, CachedProbeIsServedWithoutTheBlobBeingProbedAgain) {
    std::string id(upload(image_bytes(scratch_->path(), "m.png", 4, 4))["id"].as_string());
    Reply before = get("/api/v1/metadata/" + id);
    auto layer = cache_->layer_stats();
    Reply after = get("/api/v1/metadata/" + id);
    EXPECT_EQ(before.body, after.body);
    EXPECT_EQ(cache_->layer_stats().hits, layer.hits + 1);
}

TEST_F(MetadataTest, UnknownIdsAndOtherTenantsAssetsAre404) {
    std::string id(upload(image_bytes(scratch_->path(), "m.png", 4, 4))["id"].as_string());
    EXPECT_EQ(get("/api/v1/metadata/" + id, kKeyB).status, 404);
    EXPECT_EQ(get("/api/v1/metadata/ast_unknown").status, 404);
    EXPECT_EQ(get("/api/v1/metadata/" + std::string(64, 'a') + ".mp4").status, 404);
    EXPECT_EQ(get("/api/v1/metadata/" + id, "").status, 401);
}

TEST_F(MetadataTest, StoredContentThatIsNoMediaIs415) {
    std::string key = store_output("{\"not\":\"media\"}", "application/json");
    Reply reply = get("/api/v1/metadata/" + key);
    EXPECT_EQ(reply.status, 415) << reply.body;
}

}  // namespace
}  // namespace vidgen::api::testing
