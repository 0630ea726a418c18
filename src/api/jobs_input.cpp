#include "api/jobs_input.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include "spec/parse.hpp"

namespace vidgen::api {
namespace {

namespace json = boost::json;

std::optional<std::string> webhook_problem(std::string_view url, bool allow_http) {
    auto parsed = boost::urls::parse_absolute_uri(url);
    if (!parsed) return "must be an absolute URL";
    auto scheme = parsed->scheme();
    if (scheme != "https" && !(allow_http && scheme == "http")) {
        return allow_http ? "must be an http or https URL" : "must be an https URL";
    }
    if (parsed->encoded_host().empty()) return "must name a host";
    if (parsed->has_userinfo()) return "must not carry credentials";
    return std::nullopt;
}

void read_webhook(const json::object& body, const Context& context, store::Job& job,
                  std::vector<Error>& problems) {
    const auto* webhook = body.if_contains("webhook");
    if (!webhook || webhook->is_null()) return;
    if (!webhook->is_string()) {
        problems.push_back({Code::invalid_argument, "must be a URL string", "/webhook"});
        return;
    }
    std::string_view url = webhook->get_string();
    if (auto problem = webhook_problem(url, context.allow_http_webhooks)) {
        problems.push_back({Code::invalid_argument, *problem, "/webhook"});
        return;
    }
    job.webhook_url = std::string(url);
}

void read_priority(const json::object& body, store::Job& job, std::vector<Error>& problems) {
    const auto* priority = body.if_contains("priority");
    if (!priority || priority->is_null()) return;
    auto value = priority->is_int64() ? std::optional(priority->get_int64()) : std::nullopt;
    if (!value || *value < kMinPriority || *value > kMaxPriority) {
        problems.push_back({Code::invalid_argument,
                            fmt::format("must be an integer from {} to {}", kMinPriority, kMaxPriority),
                            "/priority"});
        return;
    }
    job.priority = static_cast<int>(*value);
}

}  // namespace

void read_job_options(const json::object& body, const Context& context, store::Job& job,
                      std::vector<Error>& problems) {
    read_webhook(body, context, job, problems);
    read_priority(body, job, problems);
}

Result<store::Template> find_template(const Context& context, std::string_view tenant_id,
                                      std::string_view template_id, std::optional<int> version) {
    auto found = context.store->get_template(tenant_id, template_id, version);
    if (!found && found.error().code == Code::not_found) {
        return fail(Code::not_found, "no such template", "/template");
    }
    return found;
}

// Only https:// and asset:ID sources: a local path (or font file) would read the server's files.
std::vector<Error> refused_sources(const spec::Spec& spec) {
    std::vector<Error> problems;
    auto check = [&](const spec::Source& source) {
        if (source.uri.starts_with("https://") || source.uri.starts_with("asset:")) return;
        problems.push_back({Code::invalid_argument, "must be an https:// URL or asset:ID", source.pointer});
    };
    for (const auto& track : spec.timeline.tracks) {
        for (const auto& clip : track.clips) {
            std::visit(
                [&](const auto& asset) {
                    if constexpr (requires { asset.src; }) check(asset.src);
                    if constexpr (requires { asset.style.font_file; }) {
                        if (!asset.style.font_file.empty()) {
                            problems.push_back({Code::invalid_argument,
                                                "font files are not allowed; name an installed family",
                                                clip.pointer + "/style/font_file"});
                        }
                    }
                },
                clip.asset);
        }
    }
    if (spec.timeline.soundtrack) check(spec.timeline.soundtrack->src);
    return problems;
}

std::vector<Error> check_spec(const json::value& spec, const json::object& data, const Context& context,
                              std::string_view prefix) {
    auto parsed = spec::parse(spec, data, context.limits);
    std::vector<Error> problems = parsed ? refused_sources(*parsed) : std::move(parsed.error().errors);
    for (auto& problem : problems) problem.pointer = std::string(prefix) + problem.pointer;
    return problems;
}

json::object read_data(const json::object& body, std::vector<Error>& problems, std::string_view pointer) {
    const auto* data = body.if_contains("data");
    if (!data || data->is_null()) return {};
    if (!data->is_object()) {
        problems.push_back({Code::invalid_argument, "must be an object", std::string(pointer)});
        return {};
    }
    return data->get_object();
}

}  // namespace vidgen::api
