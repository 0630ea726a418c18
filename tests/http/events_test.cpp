#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "http/detail/event_stream.hpp"
#include "support.hpp"

namespace vidgen::http {
namespace {

using testing::RawClient;
using testing::TestServer;

struct Stream {
    std::mutex mutex;
    std::shared_ptr<EventSink> sink;
    std::atomic<int> closes{0};

    Router router() {
        Router router;
        router.add(Method::get, "/events",
                   [this](Request&) {
                       return Response::events([this](std::shared_ptr<EventSink> started) {
                           started->on_close([this] { ++closes; });
                           started->send("state", "queued", "1");
                           started->send("progress", "line one\nline two", "2");
                           std::lock_guard lock(mutex);
                           sink = std::move(started);
                       });
                   },
                   {.access = Access::open});
        return router;
    }
    std::shared_ptr<EventSink> get() {
        std::lock_guard lock(mutex);
        return sink;
    }
};

template <typename Predicate>
bool eventually(Predicate done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

TEST(EventFormat, SplitsMultilineDataAndDropsNewlinesFromNames) {
    EXPECT_EQ(detail::format_event("progress", "a\nb\r\nc", "7"),
              "id: 7\nevent: progress\ndata: a\ndata: b\ndata: c\n\n");
    EXPECT_EQ(detail::format_event("", "x", ""), "data: x\n\n");
    EXPECT_EQ(detail::format_event("e\nvil", "x", "1\r"), "id: 1\nevent: evil\ndata: x\n\n");
}

TEST(EventStream, DeliversEventsInOrderWithKeepalivesAndRunsOnCloseWhenTheClientLeaves) {
    Stream stream;
    TestServer server(stream.router(), testing::test_options());
    auto client = std::make_unique<RawClient>(server.server().port());
    ASSERT_TRUE(client->send("GET /events HTTP/1.1\r\nHost: test\r\nAccept-Encoding: gzip\r\n\r\n"));
    ASSERT_TRUE(client->read_until("data: line two\n\n"));
    const std::string& text = client->received();
    EXPECT_NE(text.find("Content-Type: text/event-stream\r\n"), std::string::npos);
    EXPECT_NE(text.find("Cache-Control: no-cache\r\n"), std::string::npos);
    EXPECT_EQ(text.find("Content-Encoding"), std::string::npos);
    EXPECT_NE(
        text.find(
            "\r\n\r\nid: 1\nevent: state\ndata: queued\n\nid: 2\nevent: progress\ndata: line one\ndata: "
            "line two\n\n"),
        std::string::npos)
        << text;

    ASSERT_TRUE(eventually([&] { return stream.get() != nullptr; }));
    for (int i = 0; i < 50; ++i) EXPECT_TRUE(stream.get()->send("n", std::to_string(i)));
    ASSERT_TRUE(client->read_until("data: 49\n\n"));
    std::size_t position = 0;
    for (int i = 0; i < 50; ++i) {
        position = client->received().find("data: " + std::to_string(i) + "\n", position);
        ASSERT_NE(position, std::string::npos) << i;
    }
    ASSERT_TRUE(client->read_until(": keepalive\n\n"));

    client.reset();
    ASSERT_TRUE(eventually([&] { return stream.closes.load() == 1; }));
    EXPECT_TRUE(stream.get()->closed());
    EXPECT_FALSE(stream.get()->send("late", "x"));
    bool ran_at_once = false;
    stream.get()->on_close([&] { ran_at_once = true; });
    EXPECT_TRUE(ran_at_once);
    EXPECT_EQ(stream.closes.load(), 1);
}

TEST(EventStream, CloseFromTheServerWritesWhatWasSentFirst) {
    Stream stream;
    TestServer server(stream.router(), testing::test_options());
    RawClient client(server.server().port());
    ASSERT_TRUE(client.send("GET /events HTTP/1.1\r\nHost: test\r\n\r\n"));
    ASSERT_TRUE(eventually([&] { return stream.get() != nullptr; }));
    const std::string big(200'000, 'z');
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(stream.get()->send("big", big, std::to_string(i)));
    stream.get()->close();
    EXPECT_TRUE(client.wait_closed(5'000));
    EXPECT_NE(client.received().find("id: 2\nevent: big\ndata: " + big + "\n\n"), std::string::npos);
    EXPECT_TRUE(eventually([&] { return stream.closes.load() == 1; }));
}

TEST(EventStream, TooMuchQueuedClosesTheStream) {
    Stream stream;
    TestServer server(stream.router(), testing::test_options());
    RawClient client(server.server().port());
    ASSERT_TRUE(client.send("GET /events HTTP/1.1\r\nHost: test\r\n\r\n"));
    ASSERT_TRUE(eventually([&] { return stream.get() != nullptr; }));
    const std::string big(256 * 1024, 'z');
    bool refused = false;
    for (int i = 0; i < 200 && !refused; ++i) refused = !stream.get()->send("big", big);
    EXPECT_TRUE(refused);
    EXPECT_TRUE(stream.get()->closed());
    EXPECT_TRUE(eventually([&] { return stream.closes.load() == 1; }));
}

TEST(EventStream, ClientThatStopsReadingIsDroppedAfterTheWriteTimeout) {
    Stream stream;
    ServerOptions options = testing::test_options();
    options.sse_write_timeout = std::chrono::milliseconds{300};
    options.sse_max_queued_bytes = std::uint64_t{256} << 20;  // never reached: the timeout must act
    TestServer server(stream.router(), options);
    RawClient client(server.server().port());
    ASSERT_TRUE(client.send("GET /events HTTP/1.1\r\nHost: test\r\n\r\n"));
    ASSERT_TRUE(eventually([&] { return stream.get() != nullptr; }));
    // Far more than the socket buffers hold: a write stalls on the client that reads nothing.
    const std::string big(1 << 20, 'z');
    for (int i = 0; i < 16 && !stream.get()->closed(); ++i) stream.get()->send("big", big);
    EXPECT_TRUE(eventually([&] { return stream.closes.load() == 1; }));
    EXPECT_TRUE(stream.get()->closed());
    EXPECT_FALSE(stream.get()->send("late", "x"));
    EXPECT_TRUE(client.wait_closed(5'000));
}

TEST(EventStream, ServerCloseAndStopEndTheStream) {
    Stream stream;
    TestServer server(stream.router(), testing::test_options());
    RawClient client(server.server().port());
    ASSERT_TRUE(client.send("GET /events HTTP/1.1\r\nHost: test\r\n\r\n"));
    ASSERT_TRUE(client.read_until("data: line two\n\n"));
    ASSERT_TRUE(eventually([&] { return stream.get() != nullptr; }));
    server.server().stop(std::chrono::milliseconds{500});
    EXPECT_TRUE(client.wait_closed(5'000));
    EXPECT_EQ(stream.closes.load(), 1);
    EXPECT_TRUE(stream.get()->closed());
}

}  // namespace
}  // namespace vidgen::http
