// GET /metrics: the registry in the Prometheus text format, with collectors refreshed at each scrape for
// what other modules only know as totals: jobs by status over every tenant (vidgen_jobs{status}) and the
// cache's figures by layer (vidgen_cache_{hits,misses,evictions}_total{layer}, vidgen_cache_bytes{layer},
// vidgen_cache_entries{layer}). Thread-safe.
#pragma once

#include "api/context.hpp"
#include "http/message.hpp"

namespace vidgen::api {

// Registers the collectors on context.metrics (not null). Call once per registry.
void register_api_collectors(Context& context);

http::Response metrics_response(const Context& context);

}  // namespace vidgen::api
