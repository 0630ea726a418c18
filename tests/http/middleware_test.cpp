#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

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
