#include "api/events.hpp"

#include <boost/json.hpp>

#include <memory>

#include "api/errors.hpp"
#include "api/handler_support.hpp"
#include "queue/events.hpp"

namespace vidgen::api {
namespace {

namespace json = boost::json;

bool is_final(std::string_view status) {
    return status == "done" || status == "failed" || status == "canceled";
}

// Keeps `subscription` until the stream closes.
void hold_until_closed(http::EventSink& sink, std::unique_ptr<queue::Subscription> subscription) {
    std::shared_ptr<queue::Subscription> held(std::move(subscription));
    sink.on_close([held = std::move(held)]() mutable { held.reset(); });
}

queue::EventCallback forward_to(const std::shared_ptr<http::EventSink>& sink, bool close_after_final) {
    return [weak = std::weak_ptr(sink), close_after_final](const queue::JobEvent& event) {
        auto sink = weak.lock();
        if (!sink) return;
        sink->send(event.type, event.data_json);
        if (close_after_final && is_final(event.type)) sink->close();
    };
}

// Subscribes first, then sends the job's current state, so no change falls between the two.
void stream_job(const Context& context, const std::string& tenant_id, const std::string& job_id,
                const std::shared_ptr<http::EventSink>& sink) {
    auto subscription = context.events->subscribe(tenant_id, job_id, forward_to(sink, true));
    auto job = context.store->get_job(tenant_id, job_id);
    auto view = job ? load_job_view_json(*job, context) : std::unexpected(job.error());
    if (!view) {
        sink->close();
        return;
    }
    std::string status = store::job_status_name(job->status);
    sink->send(status, *view);
    if (is_final(status)) {
        sink->close();
        return;
    }
    hold_until_closed(*sink, std::move(subscription));
}

http::Response job_events(const http::Request& request, const Context& context) {
    auto job = context.store->get_job(tenant_of(request), request.param("id"));
    if (!job) return error_response(job.error());
    return http::Response::events([&context, tenant_id = job->tenant_id, job_id = job->id](auto sink) {
        stream_job(context, tenant_id, job_id, sink);
    });
}

std::string counts_json(const store::StatusCounts& c) {
    return json::serialize(json::object{{"queued", c.queued},
                                        {"rendering", c.rendering},
                                        {"done", c.done},
                                        {"failed", c.failed},
                                        {"canceled", c.canceled},
                                        {"total", c.total()}});
}

void stream_tenant(const Context& context, const std::string& tenant_id,
                   const std::shared_ptr<http::EventSink>& sink) {
    auto subscription = context.events->subscribe(tenant_id, "", forward_to(sink, false));
    auto counts = context.store->count_jobs(tenant_id);
    if (!counts) {
        sink->close();
        return;
    }
    sink->send("status", counts_json(*counts));
    hold_until_closed(*sink, std::move(subscription));
}

http::Response tenant_events(const http::Request& request, const Context& context) {
    return http::Response::events(
        [&context, tenant_id = tenant_of(request)](auto sink) { stream_tenant(context, tenant_id, sink); });
}

}  // namespace

void add_event_routes(http::Router& router, Context& context) {
    using http::Method;
    router.add(Method::get, "/api/v1/jobs/{id}/events",
               [&](http::Request& r) { return job_events(r, context); });
    router.add(Method::get, "/api/v1/events", [&](http::Request& r) { return tenant_events(r, context); });
}

}  // namespace vidgen::api
