#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <future>
#include <thread>

#include "support.hpp"

namespace vidgen::http {
namespace {

using testing::fetch;
using testing::RawClient;
using testing::TestServer;

const RouteOptions kOpen{.access = Access::open};

// Larger than a socket's send buffer, so it goes out in several writes.
std::string large_body() {
    std::string body(8 << 20, '\0');
    for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>(i * 31 % 251);
    return body;
}

Router connection_router() {
    Router router;
    router.add(
        Method::get, "/hello", [](Request&) { return Response::text(200, "hello"); }, kOpen);
    router.add(
        Method::get, "/large",
        [](Request&) { return Response::text(200, large_body(), "application/octet-stream"); }, kOpen);
    router.add(
        Method::get, "/slow",
        [](Request&) {
            std::this_thread::sleep_for(std::chrono::milliseconds(400));
            return Response::text(200, "finally");
        },
        kOpen);
    router.add(Method::post, "/echo-size",
               [](Request& request) { return Response::text(200, std::to_string(request.body.size())); },
               {.access = Access::open, .max_body_bytes = 1000});
    auto count = [](Request& request) {
        std::vector<char> buffer(64 * 1024);
        std::uint64_t total = 0;
        while (true) {
            auto got = request.body_reader->read(buffer.data(), buffer.size());
            if (!got) return Response::error(400, code_name(got.error().code), got.error().message);
            if (*got == 0) break;
            total += *got;
        }
        return Response::text(200, std::to_string(total));
    };
    router.add(Method::post, "/upload", count,
               {.access = Access::open, .stream_body = true, .max_body_bytes = std::uint64_t{64} << 20});
    router.add(Method::post, "/upload-small", count,
               {.access = Access::open, .stream_body = true, .max_body_bytes = 1 << 20});
    return router;
}

// Peak resident memory (VmHWM) in KiB.
long peak_rss_kib() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.starts_with("VmHWM:")) return std::stol(line.substr(6));
    }
    return -1;
}

TEST(Connection, KeepAliveServesSeveralRequestsOnOneConnection) {
    TestServer server(connection_router(), testing::test_options());
    RawClient client(server.server().port());
    for (int i = 1; i <= 3; ++i) {
        ASSERT_TRUE(client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
        std::string expected;
        for (int j = 0; j < i; ++j) expected += "hello";
        ASSERT_TRUE(client.read_until("HTTP/1.1 200 OK")) << i;
    }
    ASSERT_TRUE(client.send("GET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
    EXPECT_TRUE(client.wait_closed(5'000));
    std::size_t answers = 0;
    for (std::size_t at = 0; (at = client.received().find("HTTP/1.1 200 OK", at)) != std::string::npos; ++at)
        ++answers;
    EXPECT_EQ(answers, 4u);
}

TEST(Connection, LargeBodyArrivesWhole) {
    TestServer server(connection_router(), testing::test_options());
    auto reply = fetch(server.url("/large"));
    EXPECT_EQ(reply.status, 200);
    EXPECT_TRUE(reply.body == large_body());
}

TEST(Connection, Http10WithoutKeepAliveIsClosedAfterTheResponse) {
    TestServer server(connection_router(), testing::test_options());
    RawClient client(server.server().port());
    ASSERT_TRUE(client.send("GET /hello HTTP/1.0\r\n\r\n"));
    EXPECT_TRUE(client.wait_closed(5'000));
    EXPECT_NE(client.received().find("\r\n\r\nhello"), std::string::npos);
}

TEST(Connection, MalformedAndOversizedRequestsGetTheirStatus) {
    ServerOptions options = testing::test_options();
    options.max_header_bytes = 2048;
    TestServer server(connection_router(), options);
    {
        RawClient client(server.server().port());
        client.send("NOT A REQUEST\r\n\r\n");
        EXPECT_TRUE(client.wait_closed(5'000));
        EXPECT_TRUE(client.received().starts_with("HTTP/1.1 400")) << client.received();
    }
    {
        RawClient client(server.server().port());
        client.send("GET /hello HTTP/1.1\r\nX-Big: " + std::string(4096, 'a') + "\r\n\r\n");
        EXPECT_TRUE(client.wait_closed(5'000));
        EXPECT_TRUE(client.received().starts_with("HTTP/1.1 431")) << client.received();
    }
    auto reply = fetch(server.url("/echo-size"), {.method = "POST", .body = std::string(5000, 'b')});
    EXPECT_EQ(reply.status, 413);
    reply = fetch(server.url("/echo-size"), {.method = "POST", .body = std::string(999, 'b')});
    EXPECT_EQ(reply.body, "999");
}

TEST(Connection, SlowClientDoesNotDelayOthersAndIsDropped) {
    ServerOptions options = testing::test_options();
    options.io_threads = 1;
    options.read_timeout = std::chrono::milliseconds{1'000};
    TestServer server(connection_router(), options);
    RawClient slow(server.server().port());
    std::atomic<bool> stop{false};
    std::thread trickle([&] {
        const std::string request =
            "GET /hello HTTP/1.1\r\nHost: t\r\nX-Pad: aaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
        for (char c : request) {
            if (stop || !slow.send(std::string_view(&c, 1))) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto reply = fetch(server.url("/hello"));
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body, "hello");
    EXPECT_TRUE(slow.wait_closed(5'000));
    EXPECT_EQ(slow.received().find("hello"), std::string::npos);
    stop = true;
    trickle.join();
}

TEST(Connection, IdleKeepAliveConnectionIsClosed) {
    ServerOptions options = testing::test_options();
    options.idle_timeout = std::chrono::milliseconds{300};
    TestServer server(connection_router(), options);
    RawClient client(server.server().port());
    ASSERT_TRUE(client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
    ASSERT_TRUE(client.read_until("hello"));
    EXPECT_TRUE(client.wait_closed(5'000));
}

TEST(Connection, StreamedUploadIsCountedWithoutBeingHeldInMemory) {
    TestServer server(connection_router(), testing::test_options());
    std::ofstream("/proc/self/clear_refs") << "5";
    const long before = peak_rss_kib();
    constexpr std::uint64_t kBytes = 50ull << 20;
    for (bool chunked : {false, true}) {
        auto reply = testing::upload(server.url("/upload"), kBytes, chunked, {});
        EXPECT_EQ(reply.status, 200) << (chunked ? "chunked" : "content-length");
        EXPECT_EQ(reply.body, std::to_string(kBytes));
    }
    const long grown_kib = peak_rss_kib() - before;
    // Holding the body would add 50 MiB; sanitizer builds add a little of their own.
    EXPECT_LT(grown_kib, 40 * 1024) << "peak RSS grew by " << grown_kib << " KiB";
}

TEST(Connection, StreamedUploadOverTheLimitIs413) {
    TestServer server(connection_router(), testing::test_options());
    for (bool chunked : {false, true}) {
        auto reply = testing::upload(server.url("/upload-small"), 5ull << 20, chunked, {});
        EXPECT_EQ(reply.status, 413) << (chunked ? "chunked" : "content-length");
    }
    auto reply = testing::upload(server.url("/upload-small"), 1000, false, {});
    EXPECT_EQ(reply.body, "1000");
}

TEST(Connection, GracefulStopFinishesTheInFlightRequest) {
    auto server = std::make_unique<TestServer>(connection_router(), testing::test_options());
    const std::string url = server->url("/slow");
    auto pending = std::async(std::launch::async, [url] { return fetch(url); });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (server->server().performance().in_flight == 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    server->server().stop(std::chrono::milliseconds{5'000});
    auto reply = pending.get();
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body, "finally");
    EXPECT_EQ(fetch(url, {.timeout_ms = 2'000}).status, 0);
}

TEST(Connection, StopAnswersTheLastKeepAliveRequestWithConnectionClose) {
    TestServer server(connection_router(), testing::test_options());
    RawClient client(server.server().port());
    ASSERT_TRUE(client.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n"));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (server.server().performance().in_flight == 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    auto stopped =
        std::async(std::launch::async, [&] { server.server().stop(std::chrono::milliseconds{5'000}); });
    EXPECT_TRUE(client.wait_closed(5'000));
    stopped.get();
    EXPECT_NE(client.received().find("Connection: close\r\n"), std::string::npos) << client.received();
    EXPECT_NE(client.received().find("finally"), std::string::npos);
}

}  // namespace
}  // namespace vidgen::http
