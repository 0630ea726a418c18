// GET|POST /api/v1/templates/{id}/preview?t=SECONDS&format=jpeg|png|webp[&version=N]: one frame of a
// template rendered in this process. Merge data comes from `data.<field>=value` query parameters (GET) or a
// JSON body {"data":{…}} (POST). As in API jobs, sources must be https:// URLs or asset:ID. Rendered frames
// are kept in the Cache by (template, version, t, data, format) under the tag template:<id>.
#pragma once

#include "api/context.hpp"
#include "http/router.hpp"

namespace vidgen::api {

void add_preview_routes(http::Router& router, Context& context);

}  // namespace vidgen::api
