// Template endpoints: GET|POST /api/v1/templates, GET|PUT|DELETE /api/v1/templates/{id} (every save is a
// new version; GET ?version=N reads an old one). A spec is validated when saved, its merge fields left
// unfilled (templates_check.hpp). Reads are cached under template:<id> and templates:<tenant>.
#pragma once

#include "api/context.hpp"
#include "http/router.hpp"

namespace vidgen::api {

void add_template_routes(http::Router& router, Context& context);

}  // namespace vidgen::api
