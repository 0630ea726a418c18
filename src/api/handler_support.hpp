// Small pieces every API handler uses: the caller's tenant, a JSON request body, JSON and cached
// responses, the job view with this server's media URLs, and times given as ISO-8601 or Unix ms.
// Pure apart from the Context's collaborators; thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "api/context.hpp"
#include "core/error.hpp"
#include "http/message.hpp"
#include "store/records.hpp"

namespace vidgen::api {

// The tenant of the authenticated caller (routes with Access::tenant or admin always have one).
const std::string& tenant_of(const http::Request& request);

// The body as a JSON object; Code::invalid_argument (a 400) when it is empty, not JSON or not an object.
Result<boost::json::object> json_body(const http::Request& request);

// A JSON response from a Boost.JSON value.
http::Response json_response(int status, const boost::json::value& value);

// `response` marked for the response cache under `tags` for the Context's TTL.
http::Response cached(http::Response response, std::vector<std::string> tags, const Context& context);

// The public JSON view of a job, with output URLs under this server's /api/v1/media/.
boost::json::object job_view(const store::Job& job, const std::vector<store::Output>& outputs,
                             const Context& context);
std::string job_view_json(const store::Job& job, const std::vector<store::Output>& outputs,
                          const Context& context);

// The job's view with its outputs read from the store (none unless it is done).
Result<boost::json::object> load_job_view(const store::Job& job, const Context& context);
Result<std::string> load_job_view_json(const store::Job& job, const Context& context);

// Drops the cached responses that show the job (queue/cache_tags.hpp) and publishes an event of `type`
// with `data_json` (the job's view) on Context::events.
void publish_job_event(const Context& context, const store::Job& job, std::string_view type,
                       std::string data_json);

// Unix milliseconds from "1700000000000" or an ISO-8601 time ("2026-11-29", "2026-11-29T06:48:30Z",
// "2026-11-29T06:48:30.5+01:00"); Code::invalid_argument otherwise.
Result<store::TimeMs> parse_time(std::string_view text);

// An integer query parameter within [min, max]; `fallback` when absent; Code::invalid_argument (a 400).
Result<long long> query_integer(const http::Request& request, std::string_view name, long long fallback,
                                long long min, long long max);

}  // namespace vidgen::api
