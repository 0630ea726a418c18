// Server-Sent Events: GET /api/v1/jobs/{id}/events (one job: first its current state as an event named
// after its status, then every change as `event: <type>` with the job JSON as data; the stream ends after
// the job's final event) and GET /api/v1/events (every job of the tenant: first a "status" event with the
// counts by status, then every job event; stays open). Events come from Context::events.
#pragma once

#include "api/context.hpp"
#include "http/router.hpp"

namespace vidgen::api {

void add_event_routes(http::Router& router, Context& context);

}  // namespace vidgen::api
