#include "api/templates.hpp"

#include <boost/json.hpp>

#include "api/errors.hpp"
#include "api/handler_support.hpp"
#include "api/jobs_input.hpp"
#include "api/templates_check.hpp"
#include "core/json_text.hpp"
#include "queue/cache_tags.hpp"
#include "queue/job_json.hpp"
#include "spec/merge.hpp"

namespace vidgen::api {
namespace {

namespace json = boost::json;

json::value template_view(const store::Template& tmpl) {
    json::value spec = json::parse(tmpl.spec_json);
    json::array fields;
    for (const auto& field : spec::list_merge_fields(spec)) {
        json::object entry{{"name", field.name}};
        if (field.fallback) entry["default"] = *field.fallback;
        fields.push_back(std::move(entry));
    }
    return json::object{{"id", tmpl.id},
                        {"version", tmpl.version},
                        {"name", tmpl.name},
                        {"spec", std::move(spec)},
                        {"created", queue::iso8601_utc(tmpl.created)},
                        {"merge_fields", std::move(fields)}};
}

// The "name" and "spec" of a save request into `tmpl`; a 400 or 422 response when they are wrong.
std::optional<http::Response> read_template(const http::Request& request, const Context& context,
                                            store::Template& tmpl) {
    auto body = json_body(request);
    if (!body) return error_response(body.error());
    std::vector<Error> problems;
    if (const auto* name = body->if_contains("name")) {
        if (name->is_string()) {
            tmpl.name = std::string(name->get_string());
        } else {
            problems.push_back({Code::invalid_argument, "must be a string", "/name"});
        }
    }
    const auto* spec = body->if_contains("spec");
    if (!spec || !spec->is_object()) {
        problems.push_back({Code::invalid_argument, "a spec object is required", "/spec"});
    } else {
        auto spec_problems = check_template_spec(*spec, context, "/spec");
        problems.insert(problems.end(), spec_problems.begin(), spec_problems.end());
        tmpl.spec_json = json_text(*spec);
    }
    if (!problems.empty()) return validation_response(problems);
    return std::nullopt;
}

void invalidate(const Context& context, const store::Template& tmpl) {
    context.cache->invalidate_tag(queue::template_tag(tmpl.id));
    context.cache->invalidate_tag(queue::templates_tag(tmpl.tenant_id));
}

http::Response list_templates(const http::Request& request, const Context& context) {
    auto templates = context.store->list_templates(tenant_of(request));
    if (!templates) return error_response(templates.error());
    json::array views;
    for (const auto& tmpl : *templates) views.push_back(template_view(tmpl));
    return cached(json_response(200, json::object{{"templates", std::move(views)}}),
                  {queue::templates_tag(tenant_of(request))}, context);
}

http::Response create_template(const http::Request& request, const Context& context) {
    store::Template tmpl{
        .tenant_id = tenant_of(request), .name = "untitled", .created = context.queue->now()};
    if (auto refused = read_template(request, context, tmpl)) return std::move(*refused);
    auto created = context.store->create_template(std::move(tmpl));
    if (!created) return error_response(created.error());
    invalidate(context, *created);
    auto response = json_response(201, template_view(*created));
    response.headers.set("Location", "/api/v1/templates/" + created->id);
    return response;
}

http::Response get_template(const http::Request& request, const Context& context) {
    auto version = query_integer(request, "version", 0, 1, 1'000'000'000);
    if (!version) return bad_request(version.error().message, "version");
    auto tmpl = find_template(context, tenant_of(request), request.param("id"),
                              *version ? std::optional(static_cast<int>(*version)) : std::nullopt);
    if (!tmpl) return error_response(tmpl.error());
    return cached(json_response(200, template_view(*tmpl)), {queue::template_tag(tmpl->id)}, context);
}

http::Response update_template(const http::Request& request, const Context& context) {
    auto current = find_template(context, tenant_of(request), request.param("id"));
    if (!current) return error_response(current.error());
    store::Template tmpl{.id = current->id,
                         .tenant_id = current->tenant_id,
                         .name = current->name,
                         .created = context.queue->now()};
    if (auto refused = read_template(request, context, tmpl)) return std::move(*refused);
    auto updated = context.store->update_template(std::move(tmpl));
    if (!updated) return error_response(updated.error());
    invalidate(context, *updated);
    return json_response(200, template_view(*updated));
}

http::Response delete_template(const http::Request& request, const Context& context) {
    auto tmpl = find_template(context, tenant_of(request), request.param("id"));
    if (!tmpl) return error_response(tmpl.error());
    if (auto done = context.store->delete_template(tmpl->tenant_id, tmpl->id, context.queue->now()); !done) {
        return error_response(done.error());
    }
    invalidate(context, *tmpl);
    return http::Response::text(204, "");
}

}  // namespace

void add_template_routes(http::Router& router, Context& context) {
    using http::Method;
    router.add(Method::get, "/api/v1/templates", [&](http::Request& r) { return list_templates(r, context); },
               {.cacheable = true});
    router.add(Method::post, "/api/v1/templates",
               [&](http::Request& r) { return create_template(r, context); });
    router.add(Method::get, "/api/v1/templates/{id}",
               [&](http::Request& r) { return get_template(r, context); }, {.cacheable = true});
    router.add(Method::put, "/api/v1/templates/{id}",
               [&](http::Request& r) { return update_template(r, context); });
    router.add(Method::del, "/api/v1/templates/{id}",
               [&](http::Request& r) { return delete_template(r, context); });
}

}  // namespace vidgen::api
