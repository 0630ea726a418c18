#include "api/routes.hpp"

#include "api/jobs.hpp"

namespace vidgen::api {

void add_routes(http::Router& router, Context& context) {
    add_job_routes(router, context);
}

}  // namespace vidgen::api
