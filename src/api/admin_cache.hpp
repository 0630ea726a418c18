// The admin cache endpoints (admin keys only): GET /admin/cache/stats — each layer's hit ratio, entries,
// bytes, evictions — and POST /admin/cache/clear with {"pattern":"temp:*"} (a glob over keys) or
// {"tag":"video"}, exactly one of them. Thread-safe.
#pragma once

#include "cache/cache.hpp"
#include "http/message.hpp"

namespace vidgen::api {

http::Response cache_stats_response(const cache::Cache& cache);

// 200 {"cleared": entries dropped}; 400 when the body is not a JSON object; 422 when it names neither or
// both of pattern and tag, or one that is not a non-empty string.
http::Response cache_clear_response(cache::Cache& cache, const http::Request& request);

}  // namespace vidgen::api
