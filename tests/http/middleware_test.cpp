#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

#include "support.hpp"

namespace vidgen::http {
namespace {

using testing::Call;
using testing::fetch;
using testing::TestServer;

const std::string kTenant = "Authorization: Bearer " + std::string(testing::kTenantKey);
const std::string kAdmin = "X-Api-Key: " + std::string(testing::kAdminKey);

Response whoami(Request& request) {
    return Response::json(200, "{\"tenant\":\"" + request.principal->tenant_id + "\"}");
}

Router access_router() {
    Router router;
    router.add(Method::get, "/api/v1/me", whoami);
    router.add(Method::get, "/admin/stats", whoami, {.access = Access::admin});
    router.add(Method::get, "/health", [](Request&) { return Response::json(200, "{}"); },
               {.access = Access::open});
    router.add(Method::get, "/boom", [](Request&) -> Response { throw std::runtime_error("kaboom"); });
    return router;
}

TEST(Auth, MissingOrUnknownKeyIs401WithBearerChallenge) {
    TestServer server(access_router(), testing::test_options());
    for (const Call& call :
         {Call{}, Call{.headers = {"Authorization: Bearer nope"}}, Call{.headers = {"X-Api-Key: x"}}}) {
        auto reply = fetch(server.url("/api/v1/me"), call);
        EXPECT_EQ(reply.status, 401);
        EXPECT_EQ(reply.header("www-authenticate"), "Bearer");
        EXPECT_NE(reply.body.find("\"code\":\"unauthorized\""), std::string::npos) << reply.body;
    }
    EXPECT_EQ(fetch(server.url("/health")).status, 200);
}

TEST(Auth, TenantKeyPassesAndIsRefusedOnAdminRoutes) {
    TestServer server(access_router(), testing::test_options());
    auto reply = fetch(server.url("/api/v1/me"), {.headers = {kTenant}});
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body, "{\"tenant\":\"tenant-1\"}");
    EXPECT_EQ(fetch(server.url("/admin/stats"), {.headers = {kTenant}}).status, 403);
    reply = fetch(server.url("/admin/stats"), {.headers = {kAdmin}});
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body, "{\"tenant\":\"tenant-0\"}");
}

TEST(Auth, KnownKeyIsRememberedAndUnknownKeysAreAskedEveryTime) {
    TestServer server(access_router(), testing::test_options());
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(fetch(server.url("/api/v1/me"), {.headers = {kTenant}}).status, 200);
    EXPECT_EQ(server.authenticator_calls(), 1);
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(fetch(server.url("/api/v1/me"), {.headers = {"X-Api-Key: bad"}}).status, 401);
    EXPECT_EQ(server.authenticator_calls(), 4);
}

TEST(Auth, WithoutAMemoEveryRequestAsksTheAuthenticator) {
    ServerOptions options = testing::test_options();
    options.auth_memo_ttl = std::chrono::milliseconds{0};
    TestServer server(access_router(), options);
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(fetch(server.url("/api/v1/me"), {.headers = {kTenant}}).status, 200);
    EXPECT_EQ(server.authenticator_calls(), 3);
}

Router upload_router(std::atomic<int>& handled) {
    Router router;
    auto size_of = [&handled](Request& request) {
        ++handled;
        return Response::text(200, std::to_string(request.body.size()));
    };
    auto count = [&handled](Request& request) {
        ++handled;
        std::vector<char> buffer(64 * 1024);
        std::uint64_t total = 0;
        while (auto got = request.body_reader->read(buffer.data(), buffer.size())) {
            if (*got == 0) return Response::text(200, std::to_string(total));
            total += *got;
        }
        return Response::error(400, "bad_request", "body read failed");
    };
    const std::uint64_t limit = std::uint64_t{64} << 20;
    router.add(Method::post, "/api/v1/buffered", size_of, {.max_body_bytes = limit});
    router.add(Method::post, "/api/v1/streamed", count, {.stream_body = true, .max_body_bytes = limit});
    return router;
}

// The header of a 50 MB upload, without its body: a refused request is answered before the body is sent.
std::string upload_header(std::string_view target, std::string_view extra) {
    return "POST " + std::string(target) + " HTTP/1.1\r\nHost: t\r\nContent-Length: 50000000\r\n" +
           std::string(extra) + "\r\n";
}

TEST(Auth, RefusesAnUploadOnItsHeaderWithoutWaitingForTheBody) {
    std::atomic<int> handled{0};
    TestServer server(upload_router(handled), testing::test_options());
    for (std::string_view target : {"/api/v1/buffered", "/api/v1/streamed"}) {
        for (std::string_view key : {"", "X-Api-Key: unknown\r\n", "Expect: 100-continue\r\n"}) {
            testing::RawClient client(server.server().port());
            ASSERT_TRUE(client.send(upload_header(target, key)));
            ASSERT_TRUE(client.read_until("\r\n\r\n")) << target << " " << key;
            EXPECT_TRUE(client.received().starts_with("HTTP/1.1 401")) << client.received();
            EXPECT_NE(client.received().find("Connection: close"), std::string::npos) << client.received();
            EXPECT_EQ(client.received().find("100 Continue"), std::string::npos) << client.received();
        }
    }
    EXPECT_EQ(handled.load(), 0);
}

TEST(Auth, AnAdmittedBufferedBodyIsReadWholeOnEitherAuthPath) {
    std::atomic<int> handled{0};
    TestServer server(upload_router(handled), testing::test_options());
    const std::string body(3 << 20, 'b');
    for (int i = 0; i < 2; ++i) {  // the first asks the authenticator, the second finds the key remembered
        auto reply =
            fetch(server.url("/api/v1/buffered"), {.method = "POST", .headers = {kTenant}, .body = body});
        EXPECT_EQ(reply.status, 200);
        EXPECT_EQ(reply.body, std::to_string(body.size()));
    }
    auto reply = fetch(server.url("/api/v1/buffered"),
                       {.method = "POST", .headers = {kTenant, "Expect: 100-continue"}, .body = body});
    EXPECT_EQ(reply.body, std::to_string(body.size()));
    EXPECT_EQ(server.authenticator_calls(), 1);
    EXPECT_EQ(handled.load(), 3);
}

TEST(Handlers, ExceptionBecomesJson500) {
    TestServer server(access_router(), testing::test_options());
    auto reply = fetch(server.url("/boom"), {.headers = {kTenant}});
    EXPECT_EQ(reply.status, 500);
    EXPECT_EQ(reply.header("content-type"), "application/json");
    EXPECT_NE(reply.body.find("\"code\":\"internal\""), std::string::npos);
}

TEST(RateLimit, PerKeyBucketAnswers429WithRetryAfter) {
    ServerOptions options = testing::test_options();
    options.rate_limit = {.requests_per_second = 0.5, .burst = 3};
    TestServer server(access_router(), options);
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(fetch(server.url("/api/v1/me"), {.headers = {kTenant}}).status, 200);
    auto reply = fetch(server.url("/api/v1/me"), {.headers = {kTenant}});
    EXPECT_EQ(reply.status, 429);
    EXPECT_EQ(reply.header("retry-after"), "2");
    EXPECT_NE(reply.body.find("\"code\":\"rate_limited\""), std::string::npos);
    // Another key has its own bucket; open routes are limited per address.
    EXPECT_EQ(fetch(server.url("/api/v1/me"), {.headers = {kAdmin}}).status, 200);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(fetch(server.url("/health")).status, 200);
    EXPECT_EQ(fetch(server.url("/health")).status, 429);
}

struct CountingJobs {
    std::atomic<int> calls{0};
    Router router() {
        Router router;
        router.add(Method::get, "/api/v1/jobs/{id}",
                   [this](Request& request) {
                       ++calls;
                       Response response =
                           Response::json(200, "{\"id\":\"" + std::string(request.param("id")) +
                                                   "\",\"n\":" + std::to_string(calls.load()) + "}");
                       response.cache_tags = {"job:" + std::string(request.param("id"))};
                       return response;
                   },
                   {.cacheable = true});
        router.add(Method::get, "/api/v1/untagged",
                   [this](Request&) { return ++calls, Response::json(200, "{}"); }, {.cacheable = true});
        return router;
    }
};

TEST(ResponseCache, MissThenHitWithoutTheHandlerThenInvalidatedByTag) {
    CountingJobs jobs;
    TestServer server(jobs.router(), testing::test_options());
    auto first = fetch(server.url("/api/v1/jobs/j1?x=1"), {.headers = {kTenant}});
    EXPECT_EQ(first.status, 200);
    EXPECT_EQ(first.header("x-cache"), "MISS");
    auto second = fetch(server.url("/api/v1/jobs/j1?x=1"), {.headers = {kTenant}});
    EXPECT_EQ(second.header("x-cache"), "HIT");
    EXPECT_EQ(second.body, first.body);
    EXPECT_EQ(second.header("content-type"), "application/json");
    EXPECT_EQ(jobs.calls.load(), 1);

    // Another tenant and another target are other entries.
    EXPECT_EQ(fetch(server.url("/api/v1/jobs/j1?x=1"), {.headers = {kAdmin}}).header("x-cache"), "MISS");
    EXPECT_EQ(fetch(server.url("/api/v1/jobs/j1?x=2"), {.headers = {kTenant}}).header("x-cache"), "MISS");
    EXPECT_EQ(jobs.calls.load(), 3);

    ASSERT_TRUE(server.cache().invalidate_tag("job:j1"));
    auto after = fetch(server.url("/api/v1/jobs/j1?x=1"), {.headers = {kTenant}});
    EXPECT_EQ(after.header("x-cache"), "MISS");
    EXPECT_NE(after.body, first.body);
}

TEST(ResponseCache, ResponsesWithoutTagsAreNotKept) {
    CountingJobs jobs;
    TestServer server(jobs.router(), testing::test_options());
    for (int i = 0; i < 2; ++i)
        EXPECT_EQ(fetch(server.url("/api/v1/untagged"), {.headers = {kTenant}}).header("x-cache"), "MISS");
    EXPECT_EQ(jobs.calls.load(), 2);
}

TEST(Metrics, CountsRequestsByRouteMethodAndStatus) {
    TestServer server(access_router(), testing::test_options());
    fetch(server.url("/api/v1/me"), {.headers = {kTenant}});
    fetch(server.url("/api/v1/me"));
    fetch(server.url("/nowhere"));
    testing::wait_idle(server.server());
    const std::string text = server.metrics().render();
    EXPECT_NE(text.find("http_requests_total{route=\"/api/v1/me\",method=\"GET\",status=\"200\"} 1"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("http_requests_total{route=\"/api/v1/me\",method=\"GET\",status=\"401\"} 1"),
              std::string::npos);
    EXPECT_NE(text.find("http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1"),
              std::string::npos);
    EXPECT_NE(text.find("http_request_duration_seconds_count{route=\"/api/v1/me\",method=\"GET\"} 2"),
              std::string::npos);
    EXPECT_NE(text.find("http_requests_in_flight 0"), std::string::npos);
    EXPECT_EQ(server.server().performance().total_requests, 3u);
}

}  // namespace
}  // namespace vidgen::http
