// Batch endpoints: POST /api/v1/batches — one template × many rows, as JSON {"template","rows":[{…}],
// "webhook"?,"priority"?} or as a CSV upload (Content-Type: text/csv, ?template=ID, the header row names
// the merge fields) — every row validated before anything is stored (problems named /rows/N/…), then one
// job per row queued in one transaction; GET /api/v1/batches/{id} with its job counts per status.
#pragma once

#include "api/context.hpp"
#include "http/router.hpp"

namespace vidgen::api {

inline constexpr std::size_t kMaxBatchRows = 10'000;

void add_batch_routes(http::Router& router, Context& context);

}  // namespace vidgen::api
