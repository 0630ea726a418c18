// The steps the server runs around a handler, in server.hpp's order. Each returns the response that ends
// the exchange early (401, 403, 429, a cache hit), or nullopt to go on. Which thread runs which step:
// authorize_fast, limit_and_lookup: any (the session's strand for cheap requests); authorize_slow,
// run_handler, finalize: the handler pool.
#pragma once

#include <optional>

#include "http/detail/exchange.hpp"
#include "http/detail/server_state.hpp"

namespace vidgen::http::detail {

enum class AuthStep { done, ask_authenticator };

// Finds the API key and, when the memo knows it, the Principal. `early` is set for a missing key, a
// tenant key on an admin route, or a rate-limited client.
AuthStep authorize_fast(ServerState& state, Exchange& exchange, std::optional<Response>& early);
// Asks the Authenticator (blocking) and remembers a success.
std::optional<Response> authorize_slow(ServerState& state, Exchange& exchange);
// Rate limit, then the response cache.
std::optional<Response> limit_and_lookup(ServerState& state, Exchange& exchange);
// Runs the route's handler; an exception becomes a logged 500.
Response run_handler(Exchange& exchange);
// Compression, Vary and the response cache's store.
void finalize(ServerState& state, Exchange& exchange, Response& response);

}  // namespace vidgen::http::detail
