#include "blob/blob_key.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace vidgen::blob {
namespace {

const std::string kHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

TEST(BlobKey, AcceptsHashWithAndWithoutExtension) {
    EXPECT_TRUE(validate_key(kHash));
    EXPECT_TRUE(validate_key(kHash + ".mp4"));
    EXPECT_TRUE(validate_key(kHash + ".m3u8"));
    EXPECT_TRUE(validate_key(kHash + ".abcdefgh"));
}

TEST(BlobKey, RejectsHostileKeys) {
    using namespace std::string_literals;
    const std::string hostile[] = {
        "",
        "..",
        "../../etc/passwd",
        "%2e%2e/%2e%2e/etc/passwd",
        "%2e%2e%2f" + kHash,
        kHash.substr(0, 63),
        kHash + "0",
        kHash + "/",
        kHash + "/..",
        "../" + kHash,
        "/" + kHash,
        kHash.substr(0, 2) + "/" + kHash.substr(3),
        kHash + ".mp4/../../x",
        kHash + "\\..\\x",
        kHash.substr(0, 30) + "\\" + kHash.substr(31),
        kHash + "\0.mp4"s,
        kHash.substr(0, 10) + "\0"s + kHash.substr(11),
        "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08",
        kHash + ".MP4",
        kHash + ".",
        kHash + "..",
        kHash + ".mp4.",
        kHash + ".tar.gz",
        kHash + ".abcdefghi",
        kHash + ". mp4",
        kHash + ".mp-4",
        kHash + ".content-type",
        kHash + "%00",
        " " + kHash,
        kHash + std::string(4096, 'a'),
        "g" + kHash.substr(1),
        "tmp",
    };
    for (const std::string& key : hostile) {
        auto result = validate_key(key);
        ASSERT_FALSE(result) << "accepted: " << key;
        EXPECT_EQ(result.error().code, Code::invalid_argument);
    }
}

TEST(BlobKey, ExtensionFollowsContentType) {
    EXPECT_EQ(extension_for("video/mp4"), "mp4");
    EXPECT_EQ(extension_for("image/png"), "png");
    EXPECT_EQ(extension_for("image/jpeg"), "jpg");
    EXPECT_EQ(extension_for("video/webm"), "webm");
    EXPECT_EQ(extension_for("Video/MP4; codecs=\"avc1.640028\""), "mp4");
    EXPECT_EQ(extension_for("  image/gif  "), "gif");
    EXPECT_EQ(extension_for("application/x-unknown"), "");
    EXPECT_EQ(extension_for(""), "");
    EXPECT_EQ(extension_for("video"), "");
}

TEST(BlobKey, MakeKeyAddsKnownExtensionOnly) {
    EXPECT_EQ(make_key(kHash, "video/mp4"), kHash + ".mp4");
    EXPECT_EQ(make_key(kHash, "application/x-unknown"), kHash);
    EXPECT_TRUE(validate_key(make_key(kHash, "application/vnd.apple.mpegurl")));
}

TEST(BlobKey, ContentTypeIsTrimmedDefaultedAndCleaned) {
    EXPECT_EQ(normalise_content_type("  video/mp4 "), "video/mp4");
    EXPECT_EQ(normalise_content_type(""), "application/octet-stream");
    EXPECT_EQ(normalise_content_type("text/plain; charset=utf-8"), "text/plain; charset=utf-8");
    EXPECT_EQ(normalise_content_type("video/mp4\r\nX-Evil: 1").error().code, Code::invalid_argument);
    EXPECT_EQ(normalise_content_type(std::string(300, 'a')).error().code, Code::invalid_argument);
}

}  // namespace
}  // namespace vidgen::blob
