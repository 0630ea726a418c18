// The web dashboard: GET / (index.html) and GET /web/{file} (its scripts, styles, icons and examples.json),
// served from the files compiled in (api/web_assets.hpp), no key needed (the page asks for one and sends it
// with its API calls). A content-hashed name is cached for a year (immutable); index.html and the plain
// names are revalidated (no-cache) with their ETag, answered 304 when If-None-Match names it. Thread-safe.
#pragma once

#include "http/router.hpp"

namespace vidgen::api {

void add_web_routes(http::Router& router);

}  // namespace vidgen::api
