#include "api/jobs.hpp"

#include <boost/json.hpp>

#include "api/errors.hpp"
#include "api/handler_support.hpp"
#include "api/jobs_input.hpp"
#include "core/json_text.hpp"
#include "queue/cache_tags.hpp"

namespace vidgen::api {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxIdempotencyKey = 200;

// The optional "version" of the template (none: the latest).
Result<std::optional<int>> read_version(const json::object& body) {
    const auto* version = body.if_contains("version");
    if (!version || version->is_null()) return std::optional<int>();
    if (!version->is_int64() || version->get_int64() < 1 || version->get_int64() > 1'000'000'000) {
        return fail(Code::invalid_argument, "must be a template version (an integer >= 1)", "/version");
    }
    return std::optional<int>(static_cast<int>(version->get_int64()));
}

// The spec of a create request, validated with its data, into `job`; problems appended.
Result<void> read_spec(const json::object& body, const Context& context, store::Job& job,
                       std::vector<Error>& problems) {
    json::object data = read_data(body, problems);
    const auto* spec = body.if_contains("spec");
    const auto* tmpl = body.if_contains("template");
    if ((spec == nullptr) == (tmpl == nullptr)) {
        problems.push_back(
            {Code::invalid_argument, "give either spec or template", spec ? "/template" : "/spec"});
        return {};
    }
    if (spec && !spec->is_object()) {
        problems.push_back({Code::invalid_argument, "must be an object", "/spec"});
        return {};
    }
    if (tmpl && !tmpl->is_string()) {
        problems.push_back({Code::invalid_argument, "must be a template id", "/template"});
        return {};
    }
    json::value spec_value;
    if (spec) {
        spec_value = *spec;
        job.spec_json = json_text(*spec);
    } else {
        auto version = read_version(body);
        if (!version) {
            problems.push_back(version.error());
            return {};
        }
        auto found = find_template(context, job.tenant_id, tmpl->get_string(), *version);
        if (!found) return std::unexpected(found.error());
        job.template_id = found->id;
        job.template_version = found->version;
        spec_value = json::parse(found->spec_json);
    }
    job.data_json = json_text(data);
    auto spec_problems = check_spec(spec_value, data, context, "/spec");
    problems.insert(problems.end(), spec_problems.begin(), spec_problems.end());
    return {};
}

http::Response create_job(const http::Request& request, const Context& context) {
    auto body = json_body(request);
    if (!body) return error_response(body.error());
    store::Job job;
    job.tenant_id = tenant_of(request);
    if (auto key = request.headers.get("Idempotency-Key")) {
        if (key->size() > kMaxIdempotencyKey)
            return bad_request("Idempotency-Key is too long", "Idempotency-Key");
        job.idempotency_key = std::string(*key);
    }
    std::vector<Error> problems;
    if (auto read = read_spec(*body, context, job, problems); !read) return error_response(read.error());
    read_job_options(*body, context, job, problems);
    if (!problems.empty()) return validation_response(problems);
    auto inserted = context.queue->enqueue(std::move(job));
    if (!inserted) return error_response(inserted.error());
    std::string view = job_view_json(inserted->job, {}, context);
    if (!inserted->created) {
        auto current = load_job_view_json(inserted->job, context);
        return current ? http::Response::json(200, *current) : error_response(current.error());
    }
    publish_job_event(context, inserted->job, "queued", view);
    auto response = http::Response::json(202, std::move(view));
    response.headers.set("Location", "/api/v1/jobs/" + inserted->job.id);
    return response;
}

Result<store::JobQuery> read_job_query(const http::Request& request) {
    store::JobQuery query{.tenant_id = tenant_of(request)};
    if (auto status = request.query_value("status")) {
        auto parsed = store::parse_job_status(*status);
        if (!parsed)
            return fail(Code::invalid_argument, "status must be queued, rendering, done, failed or canceled");
        query.status = *parsed;
    }
    if (auto tmpl = request.query_value("template")) query.template_id = std::string(*tmpl);
    for (auto [name, field] :
         {std::pair{"created_after", &query.created_from}, std::pair{"created_before", &query.created_to}}) {
        auto text = request.query_value(name);
        if (!text) continue;
        auto time = parse_time(*text);
        if (!time) return fail(Code::invalid_argument, std::string(name) + ": " + time.error().message);
        *field = *time;
    }
    if (auto cursor = request.query_value("cursor")) query.cursor = std::string(*cursor);
    auto limit = query_integer(request, "limit", 50, 1, 100);
    if (!limit) return std::unexpected(limit.error());
    query.limit = static_cast<int>(*limit);
    return query;
}

http::Response list_jobs(const http::Request& request, const Context& context) {
    auto query = read_job_query(request);
    if (!query) return bad_request(query.error().message);
    auto page = context.store->list_jobs(*query);
    if (!page) return error_response(page.error());
    json::array jobs;
    for (const auto& job : page->jobs) {
        auto view = load_job_view(job, context);
        if (!view) return error_response(view.error());
        jobs.push_back(std::move(*view));
    }
    json::value next = page->next_cursor.empty() ? json::value(nullptr) : json::value(page->next_cursor);
    auto response = json_response(200, json::object{{"jobs", std::move(jobs)}, {"next_cursor", next}});
    return cached(std::move(response), {queue::jobs_tag(query->tenant_id)}, context);
}

http::Response get_job(const http::Request& request, const Context& context) {
    auto job = context.store->get_job(tenant_of(request), request.param("id"));
    if (!job) return error_response(job.error());
    auto view = load_job_view_json(*job, context);
    if (!view) return error_response(view.error());
    return cached(http::Response::json(200, std::move(*view)), {queue::job_tag(job->id)}, context);
}

bool is_finished(store::JobStatus status) {
    return status != store::JobStatus::queued && status != store::JobStatus::rendering;
}

http::Response cancel_job(const http::Request& request, const Context& context) {
    auto before = context.store->get_job(tenant_of(request), request.param("id"));
    if (!before) return error_response(before.error());
    if (is_finished(before->status)) {
        auto view = load_job_view_json(*before, context);
        return view ? http::Response::json(200, std::move(*view)) : error_response(view.error());
    }
    auto job = context.queue->cancel(tenant_of(request), before->id);
    if (!job) return error_response(job.error());
    auto view = load_job_view_json(*job, context);
    if (!view) return error_response(view.error());
    if (job->status == store::JobStatus::canceled) publish_job_event(context, *job, "canceled", *view);
    return http::Response::json(200, std::move(*view));
}

}  // namespace

void add_job_routes(http::Router& router, Context& context) {
    using http::Method;
    router.add(Method::post, "/api/v1/video/create",
               [&](http::Request& r) { return create_job(r, context); });
    router.add(Method::get, "/api/v1/jobs", [&](http::Request& r) { return list_jobs(r, context); },
               {.cacheable = true});
    router.add(Method::get, "/api/v1/jobs/{id}", [&](http::Request& r) { return get_job(r, context); },
               {.cacheable = true});
    router.add(Method::post, "/api/v1/jobs/{id}/cancel",
               [&](http::Request& r) { return cancel_job(r, context); });
}

}  // namespace vidgen::api
