// The admin database endpoints (admin keys only): GET /admin/db/analyze — table and index sizes and use,
// slow statements where the engine records them, suggestions — and POST /admin/db/optimize, which creates
// the recommended indexes that are missing and refreshes the planner's statistics. Both run on the calling
// thread and block on the store. Thread-safe.
#pragma once

#include "http/router.hpp"
#include "store/store.hpp"

namespace vidgen::api {

// Adds both routes. analyze answers 200 {"engine", "database_bytes", "tables", "indexes",
// "slow_statements", "statements_source", "suggestions"}; optimize answers 200 {"actions": [statements run,
// in order]}; a store failure is its error response. The store must outlive the router.
void add_db_admin_routes(http::Router& router, store::Store& store);

}  // namespace vidgen::api
