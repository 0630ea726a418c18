// Job endpoints: POST /api/v1/video/create, GET /api/v1/jobs, GET /api/v1/jobs/{id},
// POST /api/v1/jobs/{id}/cancel. Creating and canceling publish "queued" and "canceled" events and drop
// the cached responses that showed the job (queue/cache_tags.hpp).
#pragma once

#include "api/context.hpp"
#include "http/router.hpp"

namespace vidgen::api {

void add_job_routes(http::Router& router, Context& context);

}  // namespace vidgen::api
