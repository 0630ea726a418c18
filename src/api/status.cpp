#include "api/status.hpp"

#include <boost/json.hpp>

#include "api/errors.hpp"
#include "api/handler_support.hpp"
#include "queue/cache_tags.hpp"

namespace vidgen::api {
namespace {

namespace json = boost::json;

// Creation time of the tenant's oldest queued job, 0 when none is queued. Lists are newest first, so this
// walks the queued jobs' pages to the last one.
Result<store::TimeMs> oldest_queued(const Context& context, const std::string& tenant_id) {
    store::JobQuery query{.tenant_id = tenant_id, .status = store::JobStatus::queued, .limit = 100};
    store::TimeMs oldest = 0;
    while (true) {
        auto page = context.store->list_jobs(query);
        if (!page) return std::unexpected(page.error());
        if (!page->jobs.empty()) oldest = page->jobs.back().created;
        if (page->next_cursor.empty()) return oldest;
        query.cursor = page->next_cursor;
    }
}

json::object workers_view(const Context& context) {
    WorkerFigures figures = context.workers ? context.workers() : WorkerFigures{};
    return {{"total", figures.total},
            {"busy", figures.busy},
            {"idle", figures.total - figures.busy},
            {"jobs_finished", figures.jobs_finished},
            {"jobs_per_minute", figures.jobs_per_minute}};
}

http::Response status(const http::Request& request, const Context& context) {
    const auto& tenant_id = tenant_of(request);
    auto counts = context.store->count_jobs(tenant_id);
    if (!counts) return error_response(counts.error());
    auto oldest = oldest_queued(context, tenant_id);
    if (!oldest) return error_response(oldest.error());
    double age = *oldest ? std::max<double>(0, (context.queue->now() - *oldest) / 1000.0) : 0;
    const auto& c = *counts;
    json::object workers = workers_view(context);
    json::object throughput{{"jobs_finished", workers["jobs_finished"]},
                            {"jobs_per_minute", workers["jobs_per_minute"]}};
    workers.erase("jobs_finished");
    workers.erase("jobs_per_minute");
    json::object body{{"counts",
                       {{"queued", c.queued},
                        {"rendering", c.rendering},
                        {"done", c.done},
                        {"failed", c.failed},
                        {"canceled", c.canceled},
                        {"total", c.total()}}},
                      {"workers", std::move(workers)},
                      {"throughput", std::move(throughput)},
                      {"oldest_queued_seconds", age}};
    return cached(json_response(200, body), {queue::jobs_tag(tenant_id)}, context);
}

}  // namespace

void add_status_routes(http::Router& router, Context& context) {
    router.add(http::Method::get, "/api/v1/status", [&](http::Request& r) { return status(r, context); },
               {.cacheable = true});
}

}  // namespace vidgen::api
