#include "api/batches.hpp"

#include <boost/json.hpp>

#include "api/errors.hpp"
#include "api/handler_support.hpp"
#include "api/jobs_input.hpp"
#include "core/csv.hpp"
#include "core/json_text.hpp"
#include "queue/cache_tags.hpp"
#include "queue/job_json.hpp"

namespace vidgen::api {
namespace {

namespace json = boost::json;

// A batch request in one shape whatever it came as: the template id, options and one data object a row.
struct BatchRequest {
    std::string template_id;
    json::object options;  // "webhook" and "priority" as JSON members
    std::vector<json::object> rows;
};

std::string_view content_type(const http::Request& request) {
    return request.headers.get("Content-Type").value_or("application/json");
}

Result<BatchRequest> read_csv(const http::Request& request) {
    BatchRequest batch;
    batch.template_id = std::string(request.query_value("template").value_or(""));
    if (auto webhook = request.query_value("webhook")) batch.options["webhook"] = *webhook;
    if (request.query_value("priority")) {
        auto priority = query_integer(request, "priority", 0, kMinPriority, kMaxPriority);
        if (!priority) return std::unexpected(priority.error());
        batch.options["priority"] = *priority;
    }
    auto table = parse_csv(request.body);
    if (!table) return fail(Code::invalid_argument, "the CSV is malformed: " + table.error().message);
    if (table->size() < 2)
        return fail(Code::invalid_argument, "the CSV needs a header row and at least one row");
    const CsvRow& header = table->front();
    for (std::size_t r = 1; r < table->size(); ++r) {
        json::object row;
        for (std::size_t c = 0; c < header.size(); ++c) row[header[c]] = (*table)[r][c];
        batch.rows.push_back(std::move(row));
    }
    return batch;
}

Result<BatchRequest> read_json(const http::Request& request, std::vector<Error>& problems) {
    auto body = json_body(request);
    if (!body) return std::unexpected(body.error());
    BatchRequest batch;
    if (const auto* tmpl = body->if_contains("template"); tmpl && tmpl->is_string()) {
        batch.template_id = std::string(tmpl->get_string());
    }
    for (const char* name : {"webhook", "priority"}) {
        if (const auto* value = body->if_contains(name)) batch.options[name] = *value;
    }
    const auto* rows = body->if_contains("rows");
    if (!rows || !rows->is_array() || rows->get_array().empty()) {
        problems.push_back({Code::invalid_argument, "must be a non-empty array of objects", "/rows"});
        return batch;
    }
    for (std::size_t i = 0; i < rows->get_array().size(); ++i) {
        const auto& row = rows->get_array()[i];
        if (!row.is_object())
            problems.push_back({Code::invalid_argument, "must be an object", "/rows/" + std::to_string(i)});
        batch.rows.push_back(row.is_object() ? row.get_object() : json::object{});
    }
    return batch;
}

// One job a row, each row's spec validated; problems appended.
std::vector<store::Job> make_jobs(const BatchRequest& batch, const store::Template& tmpl,
                                  const store::Job& model, const Context& context,
                                  std::vector<Error>& problems) {
    json::value spec = json::parse(tmpl.spec_json);
    std::vector<store::Job> jobs;
    for (std::size_t i = 0; i < batch.rows.size(); ++i) {
        auto row_problems = check_spec(spec, batch.rows[i], context, "/rows/" + std::to_string(i));
        problems.insert(problems.end(), row_problems.begin(), row_problems.end());
        store::Job job = model;
        job.data_json = json_text(batch.rows[i]);
        jobs.push_back(std::move(job));
    }
    return jobs;
}

// Publishes "queued" for each job of a batch just created: its jobs are the newest of its template, so the
// template's list is read from the top until all `count` are found.
void publish_queued(const Context& context, const store::Batch& batch, std::size_t count) {
    store::JobQuery query{.tenant_id = batch.tenant_id, .template_id = batch.template_id, .limit = 100};
    for (std::size_t found = 0; found < count;) {
        auto page = context.store->list_jobs(query);
        if (!page) return;
        for (const auto& job : page->jobs) {
            if (job.batch_id != batch.id) continue;
            context.events->publish({.tenant_id = job.tenant_id,
                                     .job_id = job.id,
                                     .batch_id = job.batch_id,
                                     .type = "queued",
                                     .status = "queued",
                                     .data_json = job_view_json(job, {}, context),
                                     .time = job.created});
            ++found;
        }
        if (page->next_cursor.empty()) return;
        query.cursor = page->next_cursor;
    }
}

json::object batch_view(const store::Batch& batch) {
    const auto& c = batch.counts;
    return {{"id", batch.id},
            {"template", batch.template_id},
            {"template_version", batch.template_version},
            {"created", queue::iso8601_utc(batch.created)},
            {"counts",
             {{"queued", c.queued},
              {"rendering", c.rendering},
              {"done", c.done},
              {"failed", c.failed},
              {"canceled", c.canceled},
              {"total", c.total()}}}};
}

// The request as CSV or JSON by its Content-Type; anything else is unsupported (415).
Result<BatchRequest> read_batch(const http::Request& request, std::vector<Error>& problems) {
    auto type = content_type(request);
    if (type.starts_with("text/csv")) return read_csv(request);
    if (!type.starts_with("application/json"))
        return fail(Code::unsupported, "send application/json or text/csv");
    return read_json(request, problems);
}

http::Response create_batch(const http::Request& request, const Context& context) {
    std::vector<Error> problems;
    auto batch = read_batch(request, problems);
    if (!batch) return error_response(batch.error());
    if (batch->rows.size() > kMaxBatchRows) {
        return error_response({Code::limit_exceeded, "a batch has at most 10000 rows", "/rows"});
    }
    if (batch->template_id.empty()) {
        return validation_response({{Code::invalid_argument, "a template id is required", "/template"}});
    }
    auto tmpl = find_template(context, tenant_of(request), batch->template_id);
    if (!tmpl) return error_response(tmpl.error());
    store::Job model{
        .tenant_id = tmpl->tenant_id, .template_id = tmpl->id, .template_version = tmpl->version};
    read_job_options(batch->options, context, model, problems);
    auto jobs = make_jobs(*batch, *tmpl, model, context, problems);
    if (!problems.empty()) return validation_response(problems);
    auto rows = static_cast<std::int64_t>(jobs.size());
    auto created = context.queue->enqueue_batch(
        {.tenant_id = tmpl->tenant_id, .template_id = tmpl->id, .template_version = tmpl->version},
        std::move(jobs));
    if (!created) return error_response(created.error());
    context.cache->invalidate_tag(queue::jobs_tag(created->tenant_id));
    if (created->counts.total() == 0) created->counts.queued = rows;
    publish_queued(context, *created, static_cast<std::size_t>(rows));
    auto response = json_response(202, batch_view(*created));
    response.headers.set("Location", "/api/v1/batches/" + created->id);
    return response;
}

http::Response get_batch(const http::Request& request, const Context& context) {
    auto batch = context.store->get_batch(tenant_of(request), request.param("id"));
    if (!batch) return error_response(batch.error());
    return cached(json_response(200, batch_view(*batch)), {queue::jobs_tag(batch->tenant_id)}, context);
}

}  // namespace

void add_batch_routes(http::Router& router, Context& context) {
    using http::Method;
    router.add(Method::post, "/api/v1/batches", [&](http::Request& r) { return create_batch(r, context); },
               {.max_body_bytes = 32 << 20});
    router.add(Method::get, "/api/v1/batches/{id}", [&](http::Request& r) { return get_batch(r, context); },
               {.cacheable = true});
}

}  // namespace vidgen::api
