// Errors as HTTP responses, one mapping for every handler: invalid_argument → 422 when it names a field
// (validation) or 400 (malformed request), not_found → 404, limit_exceeded → 413, unsupported → 415,
// canceled → 409, io (a backing service such as the database is unreachable) → 503 "unavailable" with
// Retry-After: 1, internal → 500; both with a generic message (the detail is logged, never sent).
// The body is {"error":{"code","message","field"?}}; a validation failure also lists every problem in
// "details": [{"field","message"}…]. Pure apart from logging; thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "http/message.hpp"

namespace vidgen::api {

// The response for one error.
http::Response error_response(const Error& error);

// 422 "validation_failed" listing every problem, each pointer prefixed with `prefix` ("/spec").
http::Response validation_response(const std::vector<Error>& problems, std::string_view prefix = {});

// 400 "bad_request": the request itself is malformed (not JSON, a missing body, a bad query value).
http::Response bad_request(std::string_view message, std::string_view field = {});

}  // namespace vidgen::api
