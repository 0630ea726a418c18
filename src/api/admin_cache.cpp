#include "api/admin_cache.hpp"

#include <boost/json.hpp>

#include "api/errors.hpp"
#include "api/handler_support.hpp"

namespace vidgen::api {
namespace {

namespace json = boost::json;

// Microseconds, with the nanoseconds as a fraction: memory hits take well under one.
double micros(std::chrono::nanoseconds duration) {
    return double(duration.count()) / 1000.0;
}

json::object layer_object(const cache::LayerStats& layer) {
    const auto& latency = layer.latency;
    return {{"layer", layer.layer},
            {"hit_ratio", layer.hit_ratio()},
            {"hits", layer.hits},
            {"misses", layer.misses},
            {"sets", layer.sets},
            {"keys", layer.entries},
            {"bytes", layer.bytes},
            {"capacity_bytes", layer.capacity_bytes},
            {"evictions", layer.evictions},
            {"expirations", layer.expirations},
            {"invalidations", layer.invalidations},
            {"value_bytes", layer.value_bytes},
            {"stored_value_bytes", layer.stored_value_bytes},
            {"latency_us",
             {{"p50", micros(latency.p50)},
              {"p90", micros(latency.p90)},
              {"p99", micros(latency.p99)},
              {"samples", latency.samples}}}};
}

// The one string member of {"pattern"} or {"tag"}, with a field pointer for the validation error.
struct ClearRequest {
    bool by_tag = false;
    std::string target;
};

Result<ClearRequest> parse_clear(const json::object& body) {
    const json::value* pattern = body.if_contains("pattern");
    const json::value* tag = body.if_contains("tag");
    if ((pattern == nullptr) == (tag == nullptr))
        return fail(Code::invalid_argument, "give exactly one of \"pattern\" and \"tag\"",
                    pattern ? "/tag" : "/pattern");
    const json::value& value = pattern ? *pattern : *tag;
    std::string field = pattern ? "/pattern" : "/tag";
    if (!value.is_string() || value.as_string().empty())
        return fail(Code::invalid_argument, "must be a non-empty string", field);
    return ClearRequest{.by_tag = tag != nullptr, .target = std::string(value.as_string())};
}

}  // namespace

http::Response cache_stats_response(const cache::Cache& cache) {
    json::array layers;
    for (const auto& layer : cache.stats().layers) layers.push_back(layer_object(layer));
    return json_response(200, json::object{{"layers", std::move(layers)}});
}

http::Response cache_clear_response(cache::Cache& cache, const http::Request& request) {
    auto body = json_body(request);
    if (!body) return error_response(body.error());
    auto clear = parse_clear(*body);
    if (!clear) return error_response(clear.error());
    auto cleared = clear->by_tag ? cache.invalidate_tag(clear->target) : cache.clear_pattern(clear->target);
    if (!cleared) return error_response(cleared.error());
    return json_response(200, json::object{{"cleared", *cleared}});
}

}  // namespace vidgen::api
