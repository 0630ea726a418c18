// The routes outside the tenant API: GET /health, /api/v1/health, /health/ready, /health/performance and
// /metrics (no key needed; /metrics only when context.metrics is set, which also gets the API's
// collectors), and GET /admin/cache/stats, POST /admin/cache/clear, GET /admin/db/analyze and POST
// /admin/db/optimize (admin keys). The Context must outlive the router. Handlers are thread-safe.
#pragma once

#include "api/context.hpp"
#include "http/router.hpp"

namespace vidgen::api {

void add_system_routes(http::Router& router, Context& context);

}  // namespace vidgen::api
