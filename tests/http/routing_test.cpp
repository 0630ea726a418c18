#include <gtest/gtest.h>

#include "http/detail/conditional.hpp"
#include "http/detail/target.hpp"
#include "http/router.hpp"
#include "support.hpp"

namespace vidgen::http {
namespace {

using testing::fetch;
using testing::TestServer;

const RouteOptions kOpen{.access = Access::open};

Handler echo_path() {
    return [](Request& request) {
        std::string body = request.path;
        for (const auto& [name, value] : request.params) body += " " + name + "=" + value;
        for (const auto& [name, value] : request.query) body += " ?" + name + "=" + value;
        return Response::text(200, body);
    };
}

Router jobs_router() {
    Router router;
    router.add(Method::get, "/api/v1/jobs/{id}", echo_path(), kOpen);
    router.add(Method::get, "/api/v1/jobs/events", echo_path(), kOpen);
    router.add(Method::post, "/api/v1/jobs/{id}/cancel", echo_path(), kOpen);
    router.add(Method::del, "/api/v1/jobs/{id}", echo_path(), kOpen);
    router.add(Method::get, "/api/v1/media/{key}", echo_path(), kOpen);
    router.add(Method::get, "/", echo_path(), kOpen);
    return router;
}

TEST(Router, LiteralSegmentBeatsParameter) {
    Router router = jobs_router();
    std::map<std::string, std::string, std::less<>> params;
    RouteMatch match = router.match(Method::get, "/api/v1/jobs/events", params);
    ASSERT_NE(match.route, nullptr);
    EXPECT_EQ(match.route->pattern, "/api/v1/jobs/events");
    EXPECT_TRUE(params.empty());
    match = router.match(Method::get, "/api/v1/jobs/j_1", params);
    ASSERT_NE(match.route, nullptr);
    EXPECT_EQ(match.route->pattern, "/api/v1/jobs/{id}");
    EXPECT_EQ(params.at("id"), "j_1");
}

TEST(Router, WrongMethodListsTheAllowedOnesAndHeadFallsBackToGet) {
    Router router = jobs_router();
    std::map<std::string, std::string, std::less<>> params;
    RouteMatch match = router.match(Method::put, "/api/v1/jobs/j_1", params);
    EXPECT_EQ(match.route, nullptr);
    EXPECT_EQ(match.allowed, (std::vector<Method>{Method::get, Method::head, Method::del}));
    match = router.match(Method::head, "/api/v1/jobs/j_1", params);
    ASSERT_NE(match.route, nullptr);
    EXPECT_EQ(match.route->method, Method::get);
    match = router.match(Method::get, "/api/v1/nothing", params);
    EXPECT_EQ(match.route, nullptr);
    EXPECT_TRUE(match.allowed.empty());
}

TEST(Router, RejectsDuplicateAndMalformedPatterns) {
    Router router = jobs_router();
    EXPECT_THROW(router.add(Method::get, "/api/v1/jobs/{id}", echo_path()), std::invalid_argument);
    EXPECT_THROW(router.add(Method::get, "/api/v1/x{id}", echo_path()), std::invalid_argument);
    EXPECT_THROW(router.add(Method::get, "api", echo_path()), std::invalid_argument);
}

TEST(Target, DecodesPathAndQuery) {
    Request request;
    ASSERT_TRUE(detail::parse_target("/api/v1/media/a%20b?x=1&y=%C3%A9&x=2", request));
    EXPECT_EQ(request.path, "/api/v1/media/a b");
    EXPECT_EQ(request.query.count("x"), 2u);
    EXPECT_EQ(request.query_value("y"), "é");
}

TEST(Target, RefusesTraversalNulAndEncodedSlashes) {
    for (std::string_view target :
         {"/api/v1/media/..", "/api/v1/media/%2e%2e/etc", "/api/v1/media/..%2f..%2fetc",
          "/api/v1/media/a%2Fb", "/api/v1/media/a%00b", "/a/./b", "http://host/x"}) {
        Request request;
        EXPECT_FALSE(detail::parse_target(target, request)) << target;
    }
}

TEST(Server, RoutesWithParametersQueryAnd404And405) {
    TestServer server(jobs_router(), testing::test_options());
    auto reply = fetch(server.url("/api/v1/jobs/j_42?status=done"));
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body, "/api/v1/jobs/j_42 id=j_42 ?status=done");
    EXPECT_TRUE(detail::parse_http_date(reply.header("date")).has_value()) << reply.header("date");
    reply = fetch(server.url("/api/v1/jobs/j_42/cancel"), {.method = "POST"});
    EXPECT_EQ(reply.status, 200);
    reply = fetch(server.url("/"));
    EXPECT_EQ(reply.body, "/");

    reply = fetch(server.url("/api/v1/nothing"));
    EXPECT_EQ(reply.status, 404);
    EXPECT_NE(reply.body.find("\"code\":\"not_found\""), std::string::npos);
    reply = fetch(server.url("/api/v1/jobs/j_42"), {.method = "PUT", .body = "{}"});
    EXPECT_EQ(reply.status, 405);
    EXPECT_EQ(reply.header("allow"), "GET, HEAD, DELETE");
}

TEST(Server, TraversalAttemptsAre400BeforeRouting) {
    TestServer server(jobs_router(), testing::test_options());
    for (std::string_view target :
         {"/api/v1/media/..%2f..%2fetc%2fpasswd", "/api/v1/media/%2e%2e", "/api/v1/media/../../etc/passwd",
          "/api/v1/media/a%2fb", "/api/v1/media/%00"}) {
        auto reply = fetch(server.url(target));
        EXPECT_EQ(reply.status, 400) << target;
    }
}

}  // namespace
}  // namespace vidgen::http
