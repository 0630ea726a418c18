// GET /api/v1/status: the caller's queue — job counts by status, the workers of this process (busy and
// idle, from Context::workers), their throughput and the age of the tenant's oldest queued job. Cached
// under jobs:<tenant>.
#pragma once

#include "api/context.hpp"
#include "http/router.hpp"

namespace vidgen::api {

void add_status_routes(http::Router& router, Context& context);

}  // namespace vidgen::api
