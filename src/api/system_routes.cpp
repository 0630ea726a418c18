#include "api/system_routes.hpp"

#include <memory>

#include "api/admin_cache.hpp"
#include "api/admin_db.hpp"
#include "api/health.hpp"
#include "api/metrics_route.hpp"

namespace vidgen::api {
namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

void add_health_routes(http::Router& router, Context& context) {
    auto checks = std::make_shared<HealthChecks>(context);
    auto liveness = [checks](Request&) { return checks->liveness(); };
    router.add(Method::get, "/health", liveness, {.access = Access::open});
    router.add(Method::get, "/api/v1/health", liveness, {.access = Access::open});
    router.add(Method::get, "/health/ready", [checks](Request&) { return checks->readiness(); },
               {.access = Access::open});
    router.add(Method::get, "/health/performance", [checks](Request&) { return checks->performance(); },
               {.access = Access::open});
}

}  // namespace

void add_system_routes(http::Router& router, Context& context) {
    add_health_routes(router, context);
    if (context.metrics) {
        register_api_collectors(context);
        router.add(Method::get, "/metrics", [&context](Request&) { return metrics_response(context); },
                   {.access = Access::open});
    }
    router.add(Method::get, "/admin/cache/stats",
               [&context](Request&) { return cache_stats_response(*context.cache); },
               {.access = Access::admin});
    router.add(Method::post, "/admin/cache/clear",
               [&context](Request& request) { return cache_clear_response(*context.cache, request); },
               {.access = Access::admin});
    add_db_admin_routes(router, *context.store);
}

}  // namespace vidgen::api
