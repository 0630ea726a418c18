#include "api/handler_support.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "core/json_text.hpp"
#include "queue/cache_tags.hpp"
#include "queue/job_json.hpp"

namespace vidgen::api {
namespace {

namespace json = boost::json;

std::string media_prefix(const Context& context) {
    return context.public_url + "/api/v1/media/";
}

std::optional<long long> to_integer(std::string_view text) {
    long long value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// Offset of a "Z", "+HH:MM" or "-HH:MM" suffix in seconds east of UTC; nullopt when malformed.
std::optional<long> zone_offset(std::string_view zone) {
    if (zone.empty() || zone == "Z" || zone == "z") return 0;
    int hours = 0, minutes = 0;
    char sign = zone[0];
    if ((sign != '+' && sign != '-') || zone.size() != 6 || zone[3] != ':') return std::nullopt;
    if (std::sscanf(std::string(zone.substr(1)).c_str(), "%2d:%2d", &hours, &minutes) != 2)
        return std::nullopt;
    long offset = hours * 3600L + minutes * 60L;
    return sign == '-' ? -offset : offset;
}

Result<store::TimeMs> parse_iso8601(std::string_view text) {
    std::tm tm{};
    int consumed = 0;
    std::string copy(text);
    if (std::sscanf(copy.c_str(), "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &consumed) != 3 ||
        consumed != 10) {
        return fail(Code::invalid_argument, "expected an ISO-8601 time or Unix milliseconds");
    }
    double seconds = 0;
    std::string_view rest = text.substr(10);
    if (!rest.empty() && (rest[0] == 'T' || rest[0] == 't' || rest[0] == ' ')) {
        int used = 0;
        if (std::sscanf(copy.c_str() + 11, "%2d:%2d:%lf%n", &tm.tm_hour, &tm.tm_min, &seconds, &used) != 3) {
            return fail(Code::invalid_argument, "expected an ISO-8601 time or Unix milliseconds");
        }
        rest = rest.substr(1 + used);
    }
    auto offset = zone_offset(rest);
    if (!offset || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || seconds < 0 ||
        seconds >= 61) {
        return fail(Code::invalid_argument, "expected an ISO-8601 time or Unix milliseconds");
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    auto whole = static_cast<store::TimeMs>(timegm(&tm)) - *offset;
    return whole * 1000 + std::llround(seconds * 1000);
}

}  // namespace

const std::string& tenant_of(const http::Request& request) {
    return request.principal.value().tenant_id;
}

Result<json::object> json_body(const http::Request& request) {
    if (request.body.empty()) return fail(Code::invalid_argument, "the request needs a JSON body");
    boost::system::error_code ec;
    json::value value = json::parse(request.body, ec);
    if (ec) return fail(Code::invalid_argument, "the body is not valid JSON: " + ec.message());
    if (!value.is_object()) return fail(Code::invalid_argument, "the body must be a JSON object");
    return std::move(value.as_object());
}

http::Response json_response(int status, const json::value& value) {
    return http::Response::json(status, json_text(value));
}

http::Response cached(http::Response response, std::vector<std::string> tags, const Context& context) {
    response.cache_tags = std::move(tags);
    response.cache_ttl = context.cache_ttl;
    return response;
}

json::object job_view(const store::Job& job, const std::vector<store::Output>& outputs,
                      const Context& context) {
    return queue::job_object(job, outputs, media_prefix(context));
}

std::string job_view_json(const store::Job& job, const std::vector<store::Output>& outputs,
                          const Context& context) {
    return queue::job_json(job, outputs, media_prefix(context));
}

Result<json::object> load_job_view(const store::Job& job, const Context& context) {
    std::vector<store::Output> outputs;
    if (job.status == store::JobStatus::done) {
        auto listed = context.store->list_outputs(job.tenant_id, job.id);
        if (!listed) return std::unexpected(listed.error());
        outputs = std::move(*listed);
    }
    return job_view(job, outputs, context);
}

Result<std::string> load_job_view_json(const store::Job& job, const Context& context) {
    auto view = load_job_view(job, context);
    if (!view) return std::unexpected(view.error());
    return json_text(*view);
}

void publish_job_event(const Context& context, const store::Job& job, std::string_view type,
                       std::string data_json) {
    context.cache->invalidate_tag(queue::job_tag(job.id));
    context.cache->invalidate_tag(queue::jobs_tag(job.tenant_id));
    context.events->publish({.tenant_id = job.tenant_id,
                             .job_id = job.id,
                             .batch_id = job.batch_id,
                             .type = std::string(type),
                             .status = store::job_status_name(job.status),
                             .progress = job.progress,
                             .data_json = std::move(data_json),
                             .time = context.queue->now()});
}

Result<store::TimeMs> parse_time(std::string_view text) {
    if (auto number = to_integer(text)) return *number;
    return parse_iso8601(text);
}

Result<long long> query_integer(const http::Request& request, std::string_view name, long long fallback,
                                long long min, long long max) {
    auto text = request.query_value(name);
    if (!text) return fallback;
    auto value = to_integer(*text);
    if (!value || *value < min || *value > max) {
        return fail(Code::invalid_argument,
                    fmt::format("{} must be an integer from {} to {}", name, min, max));
    }
    return *value;
}

}  // namespace vidgen::api
