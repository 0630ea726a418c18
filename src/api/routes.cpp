#include "api/routes.hpp"

#include "api/asset_routes.hpp"
#include "api/batches.hpp"
#include "api/events.hpp"
#include "api/jobs.hpp"
#include "api/preview.hpp"
#include "api/status.hpp"
#include "api/system_routes.hpp"
#include "api/templates.hpp"
#include "api/web_routes.hpp"

namespace vidgen::api {

void add_routes(http::Router& router, Context& context) {
    add_job_routes(router, context);
    add_event_routes(router, context);
    add_batch_routes(router, context);
    add_template_routes(router, context);
    add_preview_routes(router, context);
    add_status_routes(router, context);
    add_asset_routes(router, context);
    add_system_routes(router, context);
    add_web_routes(router);
}

}  // namespace vidgen::api
