// The REST API under /api/v1 (and /health, /metrics, /admin, and the dashboard at / and /web/): every route
// vidgen serve answers, added to a Router before the server starts. Handlers read and write through the
// Context, which must outlive the router. Each resource's handlers live in their own file (jobs, batches,
// templates, preview, events, status, assets, system, web).
#pragma once

#include "api/context.hpp"
#include "http/router.hpp"

namespace vidgen::api {

void add_routes(http::Router& router, Context& context);

}  // namespace vidgen::api
