// Splits a request target ("/api/v1/media/a%20b?x=1") into its decoded path and query, refusing any path
// that could name something outside the route it reaches: ".." segments, NUL bytes and encoded slashes.
// Pure; thread-safe.
#pragma once

#include <string_view>

#include "core/error.hpp"
#include "http/message.hpp"

namespace vidgen::http::detail {

// Fills request.path and request.query from `target`. invalid_argument for a malformed or unsafe target.
Result<void> parse_target(std::string_view target, Request& request);

}  // namespace vidgen::http::detail
