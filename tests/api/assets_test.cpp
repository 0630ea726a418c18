// POST/GET/DELETE /api/v1/assets: raw and multipart uploads, content sniffing and probing, refusals,
// limits, listing, deletion and tenant isolation; and the multipart parser fed in pieces.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/assets_multipart.hpp"
#include "api/assets_sniff.hpp"
#include "api_fixture.hpp"
#include "core/hash.hpp"
#include "media_samples.hpp"

namespace vidgen::api::testing {
namespace {

namespace json = boost::json;

class AssetsTest : public ApiTest {
  protected:
    Reply upload(std::string body, std::string content_type, std::string target = "/api/v1/assets",
                 std::string key = kKeyA) {
        return send({.method = http::Method::post,
                     .target = std::move(target),
                     .body = std::move(body),
                     .headers = {{"Content-Type", std::move(content_type)}},
                     .key = std::move(key)});
    }
    // Uploads a PNG and returns the asset's JSON.
    json::object upload_png(std::string target = "/api/v1/assets", std::string key = kKeyA) {
        Reply reply =
            upload(image_bytes(scratch_->path(), "a.png", 8, 6), "image/png", std::move(target), key);
        EXPECT_EQ(reply.status, 201) << reply.body;
        return reply.json().is_object() ? reply.json().as_object() : json::object{};
    }
    std::size_t stored_blobs() { return must(blobs_->list()).size(); }
};

TEST_F(AssetsTest, RawPngUploadAnswersWithTheAssetAndItsProbe) {
    std::string png = image_bytes(scratch_->path(), "a.png", 8, 6);
    Reply reply = upload(png, "image/png", "/api/v1/assets?name=logo.png");
    ASSERT_EQ(reply.status, 201) << reply.body;
    json::object asset = reply.json().as_object();
    std::string sha = sha256_hex(png);
    EXPECT_EQ(asset["name"], "logo.png");
    EXPECT_EQ(asset["content_type"], "image/png");
    EXPECT_EQ(asset["size"].to_number<std::int64_t>(), static_cast<std::int64_t>(png.size()));
    EXPECT_EQ(asset["sha256"].as_string(), sha);
    EXPECT_EQ(asset["url"].as_string(), context_.public_url + "/api/v1/media/" + sha + ".png");
    EXPECT_TRUE(asset["created"].as_string().ends_with("Z"));
    EXPECT_EQ(asset["probe"].at("kind"), "image");
    EXPECT_EQ(asset["probe"].at("width").to_number<int>(), 8);
    EXPECT_EQ(asset["probe"].at("height").to_number<int>(), 6);
    EXPECT_EQ(reply.headers.get("Location").value_or(""),
              "/api/v1/assets/" + std::string(asset["id"].as_string()));
    Reply fetched = get("/api/v1/assets/" + std::string(asset["id"].as_string()));
    ASSERT_EQ(fetched.status, 200) << fetched.body;
    EXPECT_EQ(fetched.json().at("probe").at("width").to_number<int>(), 8);
}

TEST_F(AssetsTest, TheSniffedTypeWinsOverTheClaimedOne) {
    Reply reply = upload(image_bytes(scratch_->path(), "a.jpg", 4, 4), "video/mp4");
    ASSERT_EQ(reply.status, 201) << reply.body;
    EXPECT_EQ(reply.json().at("content_type"), "image/jpeg");
    EXPECT_TRUE(reply.json().at("url").as_string().ends_with(".jpg"));
}

TEST_F(AssetsTest, VideoAudioAndFontUploadsAreProbed) {
    struct Case {
        std::string body, kind, content_type;
    };
    for (const Case& c : {Case{mp4_bytes(), "video", "video/mp4"}, Case{wav_bytes(), "audio", "audio/wav"},
                          Case{font_bytes(), "font", "font/ttf"}}) {
        Reply reply = upload(c.body, "application/octet-stream");
        ASSERT_EQ(reply.status, 201) << c.kind << ": " << reply.body;
        EXPECT_EQ(reply.json().at("content_type").as_string(), c.content_type);
        EXPECT_EQ(reply.json().at("probe").at("kind").as_string(), c.kind);
    }
    Reply video = upload(mp4_bytes(), "video/mp4");
    EXPECT_GT(video.json().at("probe").at("duration").to_number<double>(), 0.5);
    EXPECT_EQ(video.json().at("probe").at("width").to_number<int>(), 64);
}

TEST_F(AssetsTest, MultipartUploadTakesTheFilePartAndItsFileName) {
    std::string png = image_bytes(scratch_->path(), "a.png", 5, 5);
    std::string body = "preamble to ignore\r\n" + form_part("note", "", "", "hello") +
                       form_part("file", "C:\\pictures\\dir/logo.png", "image/png", png) + form_end();
    Reply reply = upload(body, form_content_type());
    ASSERT_EQ(reply.status, 201) << reply.body;
    EXPECT_EQ(reply.json().at("name"), "logo.png");
    EXPECT_EQ(reply.json().at("sha256").as_string(), sha256_hex(png));
    EXPECT_EQ(reply.json().at("size").to_number<std::size_t>(), png.size());
}

TEST_F(AssetsTest, NameQueryWinsOverTheFileName) {
    std::string body =
        form_part("upload", "x.png", "image/png", image_bytes(scratch_->path(), "a.png", 3, 3)) + form_end();
    Reply reply = upload(body, form_content_type(), "/api/v1/assets?name=Brand%20mark");
    ASSERT_EQ(reply.status, 201) << reply.body;
    EXPECT_EQ(reply.json().at("name"), "Brand mark");
}

TEST_F(AssetsTest, MalformedMultipartBodiesAre400AndStoreNothing) {
    std::string png = image_bytes(scratch_->path(), "a.png", 3, 3);
    std::string file = form_part("file", "a.png", "image/png", png);
    const std::vector<std::pair<std::string, std::string>> cases{
        {form_part("note", "", "", "no file") + form_end(), form_content_type()},
        {file + file + form_end(), form_content_type()},
        {file, form_content_type()},
        {file + form_end(), "multipart/form-data"},
        {"--" + std::string(kBoundary) + "\r\nContent-Type: image/png\r\n\r\n" + png + "\r\n" + form_end(),
         form_content_type()},
    };
    for (const auto& [body, content_type] : cases) {
        Reply reply = upload(body, content_type);
        EXPECT_EQ(reply.status, 400) << reply.body;
        EXPECT_EQ(reply.json().at("error").at("code"), "bad_request");
    }
    EXPECT_EQ(stored_blobs(), 0u);
}

TEST_F(AssetsTest, ContentOfNoUsableTypeIs415AndStoresNothing) {
    for (std::string body :
         {std::string("just some text, no media at all, long enough to be sniffed properly.."),
          std::string("<svg xmlns='http://www.w3.org/2000/svg'/>"), std::string("%PDF-1.7")}) {
        Reply reply = upload(body, "image/png");
        EXPECT_EQ(reply.status, 415) << reply.body;
    }
    EXPECT_EQ(stored_blobs(), 0u);
    EXPECT_TRUE(must(store_->list_assets(tenant_a_.id)).empty());
}

TEST_F(AssetsTest, MediaThatCannotBeDecodedIs415AndItsBlobIsRemoved) {
    std::string fake_png = "\x89PNG\r\n\x1A\n" + std::string(200, 'x');
    std::string fake_mp4 = std::string("\0\0\0\x18", 4) + "ftypisom" + std::string(200, 'y');
    for (const std::string& body : {fake_png, fake_mp4}) {
        Reply reply = upload(body, "application/octet-stream");
        EXPECT_EQ(reply.status, 415) << reply.body;
        EXPECT_EQ(reply.body.find(scratch_->path().string()), std::string::npos) << "leaks a server path";
    }
    EXPECT_EQ(stored_blobs(), 0u);
}

TEST_F(AssetsTest, EmptyBodyIs400) {
    Reply reply = upload("", "image/png");
    EXPECT_EQ(reply.status, 400) << reply.body;
}

TEST_F(AssetsTest, UploadOverTheSizeLimitIs413AndStoresNothing) {
    std::string png = image_bytes(scratch_->path(), "a.png", 64, 64);
    context_.max_asset_bytes = png.size() - 1;
    Reply reply = upload(png, "image/png");
    EXPECT_EQ(reply.status, 413) << reply.body;
    EXPECT_EQ(stored_blobs(), 0u);
}

TEST_F(AssetsTest, BadNameIs422AndStoresNothing) {
    for (std::string name : {std::string(300, 'n'), std::string("tab%09name")}) {
        Reply reply =
            upload(image_bytes(scratch_->path(), "a.png", 3, 3), "image/png", "/api/v1/assets?name=" + name);
        EXPECT_EQ(reply.status, 422) << reply.body;
        EXPECT_EQ(reply.json().at("error").at("field"), "/name");
    }
    EXPECT_EQ(stored_blobs(), 0u);
}

TEST_F(AssetsTest, FileNamesAreMadeToFit) {
    std::string png = image_bytes(scratch_->path(), "a.png", 3, 3);
    std::string long_name = std::string(254, 'x') + "\xC3\xA9.png";  // é straddles byte 255
    Reply reply = upload(form_part("file", long_name, "image/png", png) + form_end(), form_content_type());
    ASSERT_EQ(reply.status, 201) << reply.body;
    EXPECT_EQ(reply.json().at("name").as_string(), std::string(254, 'x'));
    Reply unnamed = upload(png, "image/png");
    ASSERT_EQ(unnamed.status, 201) << unnamed.body;
    EXPECT_EQ(unnamed.json().at("name").as_string(), sha256_hex(png) + ".png");
}

TEST_F(AssetsTest, ListShowsOnlyTheCallersAssets) {
    upload_png("/api/v1/assets?name=one");
    upload_png("/api/v1/assets?name=two");
    upload_png("/api/v1/assets?name=theirs", kKeyB);
    Reply mine = get("/api/v1/assets");
    ASSERT_EQ(mine.status, 200) << mine.body;
    EXPECT_EQ(mine.json().at("assets").as_array().size(), 2u);
    Reply theirs = get("/api/v1/assets", kKeyB);
    ASSERT_EQ(theirs.json().at("assets").as_array().size(), 1u);
    EXPECT_EQ(theirs.json().at("assets").at(0).at("name"), "theirs");
}

TEST_F(AssetsTest, AnotherTenantsAssetIs404) {
    std::string id(upload_png()["id"].as_string());
    EXPECT_EQ(get("/api/v1/assets/" + id, kKeyB).status, 404);
    EXPECT_EQ(get("/api/v1/metadata/" + id, kKeyB).status, 404);
    EXPECT_EQ(del("/api/v1/assets/" + id, kKeyB).status, 404);
    EXPECT_EQ(get("/api/v1/assets/" + id).status, 200);
}

TEST_F(AssetsTest, DeleteRemovesTheRecordButKeepsTheSharedBlob) {
    json::object first = upload_png("/api/v1/assets?name=first");
    json::object second = upload_png("/api/v1/assets?name=second");
    ASSERT_EQ(first["url"], second["url"]) << "same bytes, same content key";
    std::string id(second["id"].as_string());
    std::string key(second["url"].as_string().subview(context_.public_url.size() +
                                                      std::string_view("/api/v1/media/").size()));
    ASSERT_EQ(get("/api/v1/assets/" + id).status, 200);
    ASSERT_EQ(get("/api/v1/assets").json().at("assets").as_array().size(), 2u);
    EXPECT_TRUE(cache_->get("probe:" + key).value().has_value());
    EXPECT_EQ(del("/api/v1/assets/" + id).status, 204);
    EXPECT_FALSE(cache_->get("probe:" + key).value().has_value()) << "the asset's tag was invalidated";
    EXPECT_EQ(get("/api/v1/assets/" + id).status, 404) << "the cached response was dropped";
    EXPECT_EQ(del("/api/v1/assets/" + id).status, 404);
    EXPECT_EQ(get("/api/v1/assets").json().at("assets").as_array().size(), 1u);
    EXPECT_TRUE(blobs_->stat(key).has_value());
    Reply kept = get("/api/v1/assets/" + std::string(first["id"].as_string()));
    ASSERT_EQ(kept.status, 200);
    EXPECT_EQ(kept.json().at("probe").at("kind"), "image");
}

TEST_F(AssetsTest, EveryAssetRouteNeedsAKey) {
    std::string id(upload_png()["id"].as_string());
    EXPECT_EQ(upload(image_bytes(scratch_->path(), "a.png", 3, 3), "image/png", "/api/v1/assets", "").status,
              401);
    EXPECT_EQ(get("/api/v1/assets", "").status, 401);
    EXPECT_EQ(get("/api/v1/assets/" + id, "").status, 401);
    EXPECT_EQ(del("/api/v1/assets/" + id, "vg_not_a_key").status, 401);
    EXPECT_EQ(get("/api/v1/assets/" + id).status, 200);
}

// Larger than the server's buffered-body limit (4 MiB): the upload route streams it in many reads.
TEST_F(AssetsTest, LargeMultipartUploadIsStreamedWhole) {
    std::string wav = wav_bytes(6 << 20);
    Reply reply = upload(form_part("file", "long.wav", "audio/wav", wav) + form_end(), form_content_type());
    ASSERT_EQ(reply.status, 201) << reply.body;
    EXPECT_EQ(reply.json().at("size").to_number<std::size_t>(), wav.size());
    EXPECT_EQ(reply.json().at("sha256").as_string(), sha256_hex(wav));
    EXPECT_EQ(reply.json().at("probe").at("kind"), "audio");
}

TEST_F(AssetsTest, UnknownAssetIs404) {
    EXPECT_EQ(get("/api/v1/assets/ast_nope").status, 404);
    EXPECT_EQ(del("/api/v1/assets/ast_nope").status, 404);
}

TEST(SniffMediaType, KnowsEveryUsableTypeByItsFirstBytes) {
    using namespace std::string_literals;
    const std::vector<std::pair<std::string, std::string>> cases{
        {"\xFF\xD8\xFF\xE0"s, "image/jpeg"},
        {"\x89PNG\r\n\x1A\n"s, "image/png"},
        {"GIF89a"s, "image/gif"},
        {"RIFF\0\0\0\0WEBPVP8 "s, "image/webp"},
        {"\0\0\0\x1C"
         "ftypavifXXXX"s,
         "image/avif"},
        {"\0\0\0\x18"
         "ftypheicXXXX"s,
         "image/heic"},
        {"\0\0\0\x18"
         "ftypisomXXXX"s,
         "video/mp4"},
        {"\0\0\0\x14"
         "ftypqt  XXXX"s,
         "video/quicktime"},
        {"\0\0\0\x1C"
         "ftypM4A XXXX"s,
         "audio/mp4"},
        {"\x1A\x45\xDF\xA3\x9F\x42\x82\x84webm"s, "video/webm"},
        {"\x1A\x45\xDF\xA3\xA3\x42\x82\x88matroska"s, "video/x-matroska"},
        {"RIFF\0\0\0\0AVI LIST"s, "video/x-msvideo"},
        {"RIFF\0\0\0\0WAVEfmt "s, "audio/wav"},
        {"ID3\x04"s, "audio/mpeg"},
        {"\xFF\xFB\x90\x00"s, "audio/mpeg"},
        {"\xFF\xF1\x50\x80"s, "audio/aac"},
        {"OggS\0"s, "audio/ogg"},
        {"fLaC\0"s, "audio/flac"},
        {"\0\x01\0\0\0\x10"s, "font/ttf"},
        {"OTTO\0\x0B"s, "font/otf"},
        {"ttcf\0\x01"s, "font/collection"},
        {"wOFF\0\x01"s, "font/woff"},
        {"wOF2\0\x01"s, "font/woff2"},
    };
    for (const auto& [head, type] : cases) {
        auto sniffed = sniff_media_type(head);
        ASSERT_TRUE(sniffed) << type;
        EXPECT_EQ(sniffed->content_type, type);
    }
    for (std::string head : {"RIFF\0\0\0\0JUNK"s, "WEBP"s, "<?xml version"s, "%PDF-1.7"s, "PK\x03\x04"s, ""s,
                             "\0\0\0\x18"
                             "ftyp"s,
                             "{\"spec\":1}"s}) {
        EXPECT_FALSE(sniff_media_type(head)) << head;
    }
}

// The parser must give the same parts whatever the chunking, also with boundaries split across chunks.
TEST(MultipartParser, GivesTheSamePartsWhateverTheChunkSize) {
    std::string body =
        "ignored preamble" + std::string("\r\n") + form_part("name", "", "", "value") +
        form_part("file", "f.bin", "application/octet-stream", "a\r\n--not-the-boundary\r\nb") + form_end() +
        "epilogue";
    for (std::size_t chunk : {std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{64}, body.size()}) {
        std::vector<std::pair<PartHeaders, std::string>> parts;
        int ended = 0;
        MultipartParser parser(std::string(kBoundary),
                               {.begin = [&](const PartHeaders& headers) -> Result<void> {
                                    parts.push_back({headers, ""});
                                    return {};
                                },
                                .data = [&](std::string_view bytes) -> Result<void> {
                                    parts.back().second += bytes;
                                    return {};
                                },
                                .end = [&]() -> Result<void> {
                                    ++ended;
                                    return {};
                                }});
        for (std::size_t at = 0; at < body.size(); at += chunk) {
            ASSERT_TRUE(parser.feed(std::string_view(body).substr(at, chunk))) << "chunk " << chunk;
        }
        ASSERT_TRUE(parser.finish()) << "chunk " << chunk;
        ASSERT_EQ(parts.size(), 2u);
        EXPECT_EQ(ended, 2);
        EXPECT_EQ(parts[0].first.name, "name");
        EXPECT_EQ(parts[0].second, "value");
        EXPECT_EQ(parts[1].first.filename, "f.bin");
        EXPECT_EQ(parts[1].first.content_type, "application/octet-stream");
        EXPECT_EQ(parts[1].second, "a\r\n--not-the-boundary\r\nb");
    }
}

TEST(MultipartParser, ReadsTheBoundaryFromTheContentType) {
    EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=abc"), "abc");
    EXPECT_EQ(multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\""), "");
    EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=\"quoted\""), "quoted");
    EXPECT_EQ(multipart_boundary("multipart/form-data"), "");
    EXPECT_EQ(multipart_boundary("image/png"), std::nullopt);
}

}  // namespace
}  // namespace vidgen::api::testing
