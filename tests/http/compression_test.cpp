#include <brotli/decode.h>
#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

#include "http/detail/compression.hpp"
#include "support.hpp"

namespace vidgen::http {
namespace {

using detail::Encoding;
using detail::negotiate_encoding;
using testing::fetch;
using testing::TestServer;

std::string unbrotli(const std::string& data) {
    std::string out(1 << 20, '\0');
    std::size_t size = out.size();
    EXPECT_EQ(BrotliDecoderDecompress(data.size(), reinterpret_cast<const std::uint8_t*>(data.data()), &size,
                                      reinterpret_cast<std::uint8_t*>(out.data())),
              BROTLI_DECODER_RESULT_SUCCESS);
    out.resize(size);
    return out;
}

std::string ungzip(const std::string& data) {
    z_stream stream{};
    EXPECT_EQ(inflateInit2(&stream, 15 + 16), Z_OK);
    std::string out(1 << 20, '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(inflate(&stream, Z_FINISH), Z_STREAM_END);
    out.resize(stream.total_out);
    inflateEnd(&stream);
    return out;
}

std::string unzstd(const std::string& data) {
    std::string out(1 << 20, '\0');
    const std::size_t size = ZSTD_decompress(out.data(), out.size(), data.data(), data.size());
    EXPECT_FALSE(ZSTD_isError(size));
    out.resize(ZSTD_isError(size) ? 0 : size);
    return out;
}

std::string big_json() {
    std::string body = "[";
    for (int i = 0; i < 400; ++i) body += "{\"id\":\"j_" + std::to_string(i) + "\",\"state\":\"done\"},";
    body.back() = ']';
    return body;
}

Router compression_router() {
    Router router;
    const RouteOptions open{.access = Access::open};
    router.add(
        Method::get, "/big", [](Request&) { return Response::json(200, big_json()); }, open);
    router.add(
        Method::get, "/small", [](Request&) { return Response::json(200, "{\"ok\":true}"); }, open);
    router.add(
        Method::get, "/binary",
        [](Request&) { return Response::text(200, std::string(4096, 'x'), "application/octet-stream"); },
        open);
    router.add(
        Method::get, "/precompressed",
        [](Request&) {
            Response response = Response::text(200, std::string(4096, 'y'));
            response.compressible = false;
            return response;
        },
        open);
    return router;
}

TEST(Negotiation, FollowsQValuesThenBrZstdGzip) {
    EXPECT_EQ(negotiate_encoding("gzip, deflate, br, zstd", true), Encoding::br);
    EXPECT_EQ(negotiate_encoding("gzip, deflate, br, zstd", false), Encoding::zstd);
    EXPECT_EQ(negotiate_encoding("gzip;q=1, br;q=0.5", true), Encoding::gzip);
    EXPECT_EQ(negotiate_encoding("br;q=0, gzip;q=0.1", true), Encoding::gzip);
    EXPECT_EQ(negotiate_encoding("*;q=0.5, br;q=0", true), Encoding::zstd);
    EXPECT_EQ(negotiate_encoding("identity", true), Encoding::identity);
    EXPECT_EQ(negotiate_encoding("gzip;q=0", true), Encoding::identity);
    EXPECT_EQ(negotiate_encoding("", true), Encoding::identity);
    EXPECT_EQ(negotiate_encoding("GZIP ; Q=0.8", true), Encoding::gzip);
}

TEST(Compression, EachEncodingDecodesToTheOriginal) {
    TestServer server(compression_router(), testing::test_options());
    const std::string original = big_json();
    struct Case {
        std::string accept, expected;
        std::string (*decode)(const std::string&);
    };
    for (const Case& c : {Case{"br", "br", unbrotli}, Case{"gzip", "gzip", ungzip},
                          Case{"zstd", "zstd", unzstd}, Case{"gzip;q=0.5, zstd;q=0.9", "zstd", unzstd}}) {
        auto reply = fetch(server.url("/big"), {.headers = {"Accept-Encoding: " + c.accept}});
        EXPECT_EQ(reply.status, 200);
        EXPECT_EQ(reply.header("content-encoding"), c.expected) << c.accept;
        EXPECT_EQ(reply.header("vary"), "Accept-Encoding");
        EXPECT_LT(reply.body.size(), original.size());
        EXPECT_EQ(c.decode(reply.body), original) << c.accept;
    }
    auto refused = fetch(server.url("/big"), {.headers = {"Accept-Encoding: br;q=0, gzip;q=0, zstd;q=0"}});
    EXPECT_EQ(refused.header("content-encoding"), "");
    EXPECT_EQ(refused.body, original);
}

TEST(Compression, SmallBinaryAndUncompressibleBodiesAreSentAsTheyAre) {
    TestServer server(compression_router(), testing::test_options());
    for (std::string_view target : {"/small", "/binary", "/precompressed"}) {
        auto reply = fetch(server.url(target), {.headers = {"Accept-Encoding: br, gzip, zstd"}});
        EXPECT_EQ(reply.status, 200);
        EXPECT_EQ(reply.header("content-encoding"), "") << target;
    }
    EXPECT_EQ(fetch(server.url("/small"), {.headers = {"Accept-Encoding: gzip"}}).header("vary"),
              "Accept-Encoding");
    EXPECT_EQ(fetch(server.url("/precompressed"), {.headers = {"Accept-Encoding: gzip"}}).body,
              std::string(4096, 'y'));
}

TEST(Compression, BrotliCanBeTurnedOff) {
    ServerOptions options = testing::test_options();
    options.compression.brotli = false;
    TestServer server(compression_router(), options);
    auto reply = fetch(server.url("/big"), {.headers = {"Accept-Encoding: br, gzip"}});
    EXPECT_EQ(reply.header("content-encoding"), "gzip");
    EXPECT_EQ(ungzip(reply.body), big_json());
}

TEST(Compression, MetricsCountRawAndSentBytes) {
    TestServer server(compression_router(), testing::test_options());
    fetch(server.url("/big"), {.headers = {"Accept-Encoding: gzip"}});
    testing::wait_idle(server.server());
    const std::string text = server.metrics().render();
    EXPECT_NE(text.find("http_response_body_bytes_total{stage=\"raw\"} " + std::to_string(big_json().size())),
              std::string::npos)
        << text;
}

}  // namespace
}  // namespace vidgen::http
