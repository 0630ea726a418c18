// GET|HEAD /api/v1/media/{key} through a real http::Server and raw HTTP/1.1 (so no client normalises the
// target): content type, immutable caching, strong ETag and 304, ranges (206, 416), HEAD, and every
// traversal spelling a 404 that never reaches the disk.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "api/auth.hpp"
#include "api_fixture.hpp"
#include "core/hash.hpp"
#include "http/server.hpp"
#include "media_samples.hpp"

namespace vidgen::api::testing {
namespace {

struct RawReply {
    int status = 0;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
};

RawReply parse_reply(const std::string& raw) {
    RawReply reply;
    std::size_t head_end = raw.find("\r\n\r\n");
    if (raw.size() < 12 || head_end == std::string::npos) return reply;
    reply.status = std::stoi(raw.substr(9, 3));
    std::size_t line = raw.find("\r\n") + 2;
    while (line < head_end) {
        std::size_t end = raw.find("\r\n", line);
        std::string field = raw.substr(line, end - line);
        std::size_t colon = field.find(':');
        std::string name = field.substr(0, colon);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        reply.headers[name] = field.substr(field.find_first_not_of(' ', colon + 1));
        line = end + 2;
    }
    reply.body = raw.substr(head_end + 4);
    return reply;
}

// Sends `request_head` (without the final blank line) with Connection: close and reads to the end.
RawReply exchange(std::uint16_t port, const std::string& request_head) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        ADD_FAILURE() << "cannot connect";
        return {};
    }
    std::string request = request_head + "\r\nHost: media.test\r\nConnection: close\r\n\r\n";
    EXPECT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL), static_cast<ssize_t>(request.size()));
    std::string raw;
    char buffer[16 * 1024];
    pollfd ready{fd, POLLIN, 0};
    while (::poll(&ready, 1, 5000) > 0) {
        ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        raw.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return parse_reply(raw);
}

class MediaTest : public ApiTest {
  protected:
    void SetUp() override {
        ApiTest::SetUp();
        server_ = std::make_unique<http::Server>(http::ServerOptions{.listen = "127.0.0.1:0"}, router_,
                                                 make_authenticator(*store_), cache_.get(), metrics_.get());
        ASSERT_TRUE(server_->start());
        content_ = mp4_bytes();
        auto writer = must(blobs_->begin_put(1 << 20));
        must(writer->write(content_));
        key_ = must(writer->commit("video/mp4")).key;
    }
    void TearDown() override {
        server_->stop();
        ApiTest::TearDown();
    }
    RawReply get_media(const std::string& target, const std::string& extra_headers = {}) {
        return exchange(server_->port(), "GET " + target + " HTTP/1.1" + extra_headers);
    }

    std::unique_ptr<http::Server> server_;
    std::string content_;
    std::string key_;
};

TEST_F(MediaTest, ServesTheBytesImmutablyWithoutAKey) {
    RawReply reply = get_media("/api/v1/media/" + key_);
    ASSERT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body, content_);
    EXPECT_EQ(reply.headers["content-type"], "video/mp4");
    EXPECT_EQ(reply.headers["cache-control"], "public, max-age=31536000, immutable");
    EXPECT_EQ(reply.headers["etag"], "\"" + sha256_hex(content_) + "\"");
    EXPECT_EQ(reply.headers["accept-ranges"], "bytes");
    EXPECT_FALSE(reply.headers["last-modified"].empty());
    EXPECT_EQ(reply.headers.count("content-encoding"), 0u);
}

TEST_F(MediaTest, MediaIsNeverCompressed) {
    RawReply reply = get_media("/api/v1/media/" + key_, "\r\nAccept-Encoding: gzip, br, zstd");
    ASSERT_EQ(reply.status, 200);
    EXPECT_EQ(reply.headers.count("content-encoding"), 0u);
    EXPECT_EQ(reply.body, content_);
}

TEST_F(MediaTest, HeadAnswersHeadersOnly) {
    RawReply reply = exchange(server_->port(), "HEAD /api/v1/media/" + key_ + " HTTP/1.1");
    ASSERT_EQ(reply.status, 200);
    EXPECT_EQ(reply.headers["content-length"], std::to_string(content_.size()));
    EXPECT_TRUE(reply.body.empty());
}

TEST_F(MediaTest, MatchingETagIs304) {
    RawReply reply =
        get_media("/api/v1/media/" + key_, "\r\nIf-None-Match: \"" + sha256_hex(content_) + "\"");
    EXPECT_EQ(reply.status, 304);
    EXPECT_TRUE(reply.body.empty());
}

TEST_F(MediaTest, RangesAre206AndUnsatisfiableOnes416) {
    RawReply part = get_media("/api/v1/media/" + key_, "\r\nRange: bytes=10-19");
    ASSERT_EQ(part.status, 206);
    EXPECT_EQ(part.body, content_.substr(10, 10));
    EXPECT_EQ(part.headers["content-range"], "bytes 10-19/" + std::to_string(content_.size()));
    RawReply beyond =
        get_media("/api/v1/media/" + key_, "\r\nRange: bytes=" + std::to_string(content_.size()) + "-");
    EXPECT_EQ(beyond.status, 416);
}

TEST_F(MediaTest, UnknownAndMalformedKeysAre404Alike) {
    for (std::string key : {std::string(64, 'a') + ".mp4", std::string("nope"), key_ + "x", key_.substr(1),
                            std::string(64, 'A')}) {
        RawReply reply = get_media("/api/v1/media/" + key);
        EXPECT_EQ(reply.status, 404) << key;
        EXPECT_EQ(reply.body.find("hex"), std::string::npos)
            << "the key format is not revealed: " << reply.body;
    }
}

TEST_F(MediaTest, TraversalInAnySpellingIs404) {
    std::filesystem::path outside = scratch_->path() / "secret.txt";
    std::ofstream(outside) << "secret";
    for (std::string tail : std::vector<std::string>{
             "../../secret.txt", "..%2f..%2fsecret.txt", "%2e%2e/%2e%2e/secret.txt",
             "%2e%2e%2f%2e%2e%2fsecret.txt", "..%5c..%5csecret.txt", "....//....//secret.txt",
             "%252e%252e%252fsecret.txt", "..", "%2e%2e", ".", "%00", key_ + "%00.txt",
             key_ + "/../../secret.txt", "%2fetc%2fpasswd", "..;/secret.txt"}) {
        RawReply reply = get_media("/api/v1/media/" + tail);
        EXPECT_NE(reply.status, 200) << tail;
        EXPECT_EQ(reply.body.find("secret"), std::string::npos) << tail;
        if (reply.status != 400) {
            EXPECT_EQ(reply.status, 404) << tail;
        }
    }
}

}  // namespace
}  // namespace vidgen::api::testing
