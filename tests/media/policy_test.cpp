#include "media/policy.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "fixtures.hpp"
#include "media/audio_decoder.hpp"
#include "media/probe.hpp"
#include "media/video_decoder.hpp"

namespace vidgen::media {
namespace {

using testing::TempDir;

TEST(Policy, AddressGuardTable) {
    struct Case {
        const char* address;
        bool forbidden;
    };
    const Case cases[] = {
        {"0.0.0.0", true},
        {"0.1.2.3", true},
        {"10.0.0.1", true},
        {"100.64.0.1", true},
        {"100.127.255.255", true},
        {"100.128.0.1", false},
        {"127.0.0.1", true},
        {"127.255.255.254", true},
        {"169.254.169.254", true},
        {"172.16.0.1", true},
        {"172.31.255.255", true},
        {"172.32.0.1", false},
        {"192.0.0.8", true},
        {"192.168.1.1", true},
        {"198.18.0.1", true},
        {"198.19.255.255", true},
        {"198.20.0.1", false},
        {"224.0.0.1", true},
        {"239.255.255.250", true},
        {"240.0.0.1", true},
        {"255.255.255.255", true},
        {"8.8.8.8", false},
        {"1.1.1.1", false},
        {"93.184.216.34", false},
        {"::", true},
        {"::1", true},
        {"[::1]", true},
        {"fc00::1", true},
        {"fd12:3456::1", true},
        {"fe80::1", true},
        {"fe80::1%eth0", true},
        {"ff02::1", true},
        {"::ffff:127.0.0.1", true},
        {"::ffff:7f00:1", true},
        {"::ffff:10.1.2.3", true},
        {"::ffff:169.254.169.254", true},
        {"::ffff:8.8.8.8", false},
        {"64:ff9b::a00:1", true},
        {"2001:4860:4860::8888", false},
        {"2606:4700::1111", false},
        {"localhost", true},
        {"", true},
        {"not an address", true},
    };
    for (const auto& c : cases) EXPECT_EQ(is_forbidden_address(c.address), c.forbidden) << c.address;
}

TEST(Policy, AllowedDemuxersExcludePlaylistsAndConcat) {
    const std::string list = allowed_demuxers();
    for (const char* name : {"mov", "mp4", "matroska", "webm", "wav", "mp3", "ogg", "flac", "aac", "gif"}) {
        EXPECT_NE(list.find(name), std::string::npos) << name;
    }
    for (const char* name : {"hls", "concat", "image2", "dash", "tee", "lavfi"}) {
        EXPECT_EQ(("," + list + ",").find(std::string(",") + name + ","), std::string::npos) << name;
    }
}

TEST(Policy, LocalFileMustBeARegularFileWithinTheLimit) {
    TempDir dir;
    testing::write_bytes(dir / "ten.bin", "0123456789");
    EXPECT_EQ(*check_local_file(dir / "ten.bin", {}), 10u);
    InputLimits small;
    small.max_file_bytes = 9;
    EXPECT_EQ(check_local_file(dir / "ten.bin", small).error().code, Code::limit_exceeded);
    EXPECT_EQ(check_local_file(dir / "missing", {}).error().code, Code::not_found);
    EXPECT_EQ(check_local_file(dir / "", {}).error().code, Code::unsupported);  // the directory itself
    ASSERT_EQ(mkfifo((dir / "fifo").c_str(), 0600), 0);
    EXPECT_EQ(check_local_file(dir / "fifo", {}).error().code, Code::unsupported);
    EXPECT_EQ(check_local_file("/dev/zero", {}).error().code, Code::unsupported);
}

TEST(Policy, PlaylistAndConcatListDisguisedAsMp4AreRefused) {
    TempDir dir;
    testing::write_bytes(dir / "secret.txt", "secret\n");
    testing::write_bytes(
        dir / "playlist.mp4",
        "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:10,\nfile:///etc/passwd\n"
        "#EXT-X-ENDLIST\n");
    testing::write_bytes(dir / "concat.mp4", "ffconcat version 1.0\nfile '/etc/passwd'\n");
    for (const char* name : {"playlist.mp4", "concat.mp4"}) {
        auto info = probe(dir / name);
        ASSERT_FALSE(info) << name;
        EXPECT_EQ(info.error().code, Code::unsupported) << info.error().message;
        EXPECT_FALSE(VideoDecoder::open(dir / name, 64, 64)) << name;
        EXPECT_FALSE(decode_audio(dir / name, 0, 1)) << name;
    }
    EXPECT_NE(probe(dir / "concat.mp4").error().message.find("'concat'"), std::string::npos);
    EXPECT_NE(probe(dir / "playlist.mp4").error().message.find("'hls'"), std::string::npos);
}

TEST(Policy, ProtocolPrefixesInPathsAreOrdinaryFileNames) {
    TempDir dir;
    EXPECT_EQ(probe("concat:/etc/passwd|/etc/passwd").error().code, Code::not_found);
    EXPECT_EQ(probe("file:///etc/passwd").error().code, Code::not_found);
    EXPECT_EQ(probe("https://127.0.0.1/x.mp4").error().code, Code::not_found);
}

TEST(Policy, FetchRefusesOtherSchemes) {
    TempDir dir;
    for (const char* url : {"http://example.com/a.mp4", "file:///etc/passwd", "ftp://example.com/a.mp4",
                            "data:text/plain,hello", "concat:https://a|https://b", "gopher://x",
                            "//example.com/a", "HTTP://example.com/a.mp4", ""}) {
        auto got = fetch_https(url, dir / "out", {});
        ASSERT_FALSE(got) << url;
        EXPECT_EQ(got.error().code, Code::unsupported) << url << ": " << got.error().message;
    }
    EXPECT_FALSE(std::filesystem::exists(dir / "out"));
}

TEST(Policy, FetchRefusesForbiddenAddressesBeforeConnecting) {
    TempDir dir;
    for (const char* url :
         {"https://127.0.0.1/a.mp4", "https://[::1]/a.mp4", "https://169.254.169.254/latest/meta-data",
          "https://10.0.0.1/a.mp4", "https://localhost:8443/a.mp4", "https://[::ffff:127.0.0.1]/",
          "https://0x7f000001/", "https://2130706433/", "https://user@127.0.0.1/"}) {
        auto got = fetch_https(url, dir / "out", {});
        ASSERT_FALSE(got) << url;
        EXPECT_EQ(got.error().code, Code::unsupported) << url << ": " << got.error().message;
    }
    EXPECT_FALSE(std::filesystem::exists(dir / "out"));
    EXPECT_FALSE(std::filesystem::exists(dir / "out.part"));
}

TEST(Policy, FetchWithPrivateAddressesAllowedGetsAsFarAsConnecting) {
    TempDir dir;
    InputLimits trusted;
    trusted.allow_private_addresses = true;
    trusted.fetch_timeout_seconds = 5;
    auto got = fetch_https("https://127.0.0.1:1/a.mp4", dir / "out", trusted);  // nothing listens on port 1
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().code, Code::io) << got.error().message;
}

}  // namespace
}  // namespace vidgen::media
