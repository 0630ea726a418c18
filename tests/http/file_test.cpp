#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/scratch_dir.hpp"
#include "http/detail/conditional.hpp"
#include "support.hpp"

namespace vidgen::http {
namespace {

using testing::fetch;
using testing::TestServer;

constexpr std::string_view kEtag = "\"abc123\"";

std::string file_bytes() {
    std::string bytes(100'000, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>('a' + (i * 7) % 26);
    return bytes;
}

class MediaServer {
  public:
    explicit MediaServer(ServerOptions options = testing::test_options())
        : dir_(*ScratchDir::create("http-file-test")) {
        std::ofstream(dir_.path() / "clip.mp4", std::ios::binary) << file_bytes();
        std::ofstream(dir_.path() / "big.bin").close();
        std::filesystem::resize_file(dir_.path() / "big.bin", std::uint64_t{64} << 20);
        Router router;
        router.add(Method::get, "/api/v1/media/{key}",
                   [this](Request& request) {
                       ++calls;
                       const auto path = dir_.path() / std::string(request.param("key"));
                       UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
                       if (!fd) return Response::error(404, "not_found", "no such media");
                       struct stat info {};
                       ::fstat(fd.get(), &info);
                       FileBody file{std::move(fd), static_cast<std::uint64_t>(info.st_size),
                                     std::string(kEtag),
                                     std::chrono::system_clock::from_time_t(1'700'000'000)};
                       Response response = Response::file(std::move(file), "video/mp4");
                       response.headers.set("Cache-Control", "public, max-age=31536000, immutable");
                       return response;
                   },
                   {.access = Access::open});
        server_ = std::make_unique<TestServer>(std::move(router), std::move(options));
    }
    std::string url(std::string_view target) const { return server_->url(target); }
    Server& server() { return server_->server(); }
    std::atomic<int> calls{0};

  private:
    ScratchDir dir_;
    std::unique_ptr<TestServer> server_;
};

TEST(FileBody, WholeFileWithValidatorsAndNoCompression) {
    MediaServer media;
    auto reply = fetch(media.url("/api/v1/media/clip.mp4"), {.headers = {"Accept-Encoding: gzip, br"}});
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body, file_bytes());
    EXPECT_EQ(reply.header("etag"), kEtag);
    EXPECT_EQ(reply.header("accept-ranges"), "bytes");
    EXPECT_EQ(reply.header("content-type"), "video/mp4");
    EXPECT_EQ(reply.header("content-encoding"), "");
    EXPECT_EQ(reply.header("last-modified"), "Tue, 14 Nov 2023 22:13:20 GMT");
    EXPECT_EQ(reply.header("cache-control"), "public, max-age=31536000, immutable");
}

TEST(FileBody, HeadSendsHeadersOnly) {
    MediaServer media;
    auto reply = fetch(media.url("/api/v1/media/clip.mp4"), {.method = "HEAD"});
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.header("content-length"), "100000");
    EXPECT_TRUE(reply.body.empty());
}

TEST(FileBody, SingleRangeIs206AndUnsatisfiableIs416) {
    MediaServer media;
    const std::string bytes = file_bytes();
    auto reply = fetch(media.url("/api/v1/media/clip.mp4"), {.headers = {"Range: bytes=1000-1999"}});
    EXPECT_EQ(reply.status, 206);
    EXPECT_EQ(reply.header("content-range"), "bytes 1000-1999/100000");
    EXPECT_EQ(reply.body, bytes.substr(1000, 1000));
    reply = fetch(media.url("/api/v1/media/clip.mp4"), {.headers = {"Range: bytes=-10"}});
    EXPECT_EQ(reply.body, bytes.substr(bytes.size() - 10));
    reply = fetch(media.url("/api/v1/media/clip.mp4"), {.headers = {"Range: bytes=99990-"}});
    EXPECT_EQ(reply.header("content-range"), "bytes 99990-99999/100000");
    reply = fetch(media.url("/api/v1/media/clip.mp4"), {.headers = {"Range: bytes=200000-"}});
    EXPECT_EQ(reply.status, 416);
    EXPECT_EQ(reply.header("content-range"), "bytes */100000");
    reply = fetch(media.url("/api/v1/media/clip.mp4"), {.headers = {"Range: lines=1-2"}});
    EXPECT_EQ(reply.status, 200);
}

TEST(FileBody, MultipleRangesAreMultipartByteranges) {
    MediaServer media;
    const std::string bytes = file_bytes();
    auto reply = fetch(media.url("/api/v1/media/clip.mp4"), {.headers = {"Range: bytes=0-9,50-59"}});
    EXPECT_EQ(reply.status, 206);
    EXPECT_TRUE(reply.header("content-type").starts_with("multipart/byteranges; boundary="))
        << reply.header("content-type");
    EXPECT_NE(reply.body.find("Content-Range: bytes 0-9/100000\r\n\r\n" + bytes.substr(0, 10)),
              std::string::npos);
    EXPECT_NE(reply.body.find("Content-Range: bytes 50-59/100000\r\n\r\n" + bytes.substr(50, 10)),
              std::string::npos);
    EXPECT_EQ(std::to_string(reply.body.size()), reply.header("content-length"));
}

TEST(FileBody, ConditionalRequestsAnswer304) {
    MediaServer media;
    for (std::string header :
         {"If-None-Match: " + std::string(kEtag), std::string("If-None-Match: \"x\", ") + std::string(kEtag),
          std::string("If-None-Match: *"), std::string("If-Modified-Since: Tue, 14 Nov 2023 22:13:20 GMT")}) {
        auto reply = fetch(media.url("/api/v1/media/clip.mp4"), {.headers = {header}});
        EXPECT_EQ(reply.status, 304) << header;
        EXPECT_TRUE(reply.body.empty());
        EXPECT_EQ(reply.header("etag"), kEtag);
    }
    EXPECT_EQ(fetch(media.url("/api/v1/media/clip.mp4"), {.headers = {"If-None-Match: \"other\""}}).status,
              200);
    EXPECT_EQ(fetch(media.url("/api/v1/media/clip.mp4"),
                    {.headers = {"If-Modified-Since: Mon, 13 Nov 2023 00:00:00 GMT"}})
                  .status,
              200);
}

TEST(FileBody, IfRangeServesTheRangeOnlyForTheSameVersion) {
    MediaServer media;
    auto reply = fetch(media.url("/api/v1/media/clip.mp4"),
                       {.headers = {"Range: bytes=0-9", "If-Range: " + std::string(kEtag)}});
    EXPECT_EQ(reply.status, 206);
    reply =
        fetch(media.url("/api/v1/media/clip.mp4"), {.headers = {"Range: bytes=0-9", "If-Range: \"stale\""}});
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body.size(), 100'000u);
}

TEST(FileBody, TraversalNeverReachesTheHandler) {
    MediaServer media;
    for (std::string_view target :
         {"/api/v1/media/..%2f..%2fetc%2fpasswd", "/api/v1/media/%2e%2e", "/api/v1/media/..",
          "/api/v1/media/..%2Fclip.mp4", "/api/v1/media/../media/clip.mp4"}) {
        auto reply = fetch(media.url(target));
        EXPECT_TRUE(reply.status == 400 || reply.status == 404) << target << " " << reply.status;
    }
    EXPECT_EQ(media.calls.load(), 0);
}

TEST(FileBody, ClientThatStopsReadingIsDroppedAfterTheIdleTimeout) {
    ServerOptions options = testing::test_options();
    options.idle_timeout = std::chrono::milliseconds{300};
    MediaServer media(options);
    testing::RawClient client(media.server().port());
    ASSERT_TRUE(client.send("GET /api/v1/media/big.bin HTTP/1.1\r\nHost: t\r\n\r\n"));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (media.server().performance().total_requests == 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_EQ(media.server().performance().total_requests, 1u);
    EXPECT_EQ(media.server().performance().in_flight, 0u);
}

TEST(Conditional, ParsesRangesAndDates) {
    auto ranges = detail::parse_range("bytes=0-0, 5-, -3", 10);
    ASSERT_TRUE(ranges.valid);
    ASSERT_EQ(ranges.ranges.size(), 3u);
    EXPECT_EQ(ranges.ranges[1].first, 5u);
    EXPECT_EQ(ranges.ranges[2].first, 7u);
    EXPECT_FALSE(detail::parse_range("bytes=5-2", 10).valid);
    EXPECT_TRUE(detail::parse_range("bytes=10-", 10).ranges.empty());
    const auto time = std::chrono::system_clock::from_time_t(784111777);
    EXPECT_EQ(detail::http_date(time), "Sun, 06 Nov 1994 08:49:37 GMT");
    EXPECT_EQ(detail::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), time);
}

}  // namespace
}  // namespace vidgen::http
