#include "api/web_routes.hpp"

#include <string>

#include "api/web_assets.hpp"

namespace vidgen::api {
namespace {

using http::Request;
using http::Response;

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kRevalidate = "no-cache";
// Scripts and styles only from the dashboard's own files; images and video also from the media URLs, which
// may sit on another origin (--public-url, a CDN).
constexpr std::string_view kPagePolicy =
    "default-src 'self'; img-src 'self' blob: data: http: https:; media-src 'self' blob: http: https:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

std::string_view without_weak_prefix(std::string_view tag) {
    return tag.starts_with("W/") ? tag.substr(2) : tag;
}

// If-None-Match uses the weak comparison: W/"x" and "x" name the same version.
bool names_etag(std::string_view if_none_match, std::string_view etag) {
    while (!if_none_match.empty()) {
        auto comma = if_none_match.find(',');
        auto candidate = trim(if_none_match.substr(0, comma));
        if (candidate == "*" || without_weak_prefix(candidate) == without_weak_prefix(etag)) return true;
        if (comma == std::string_view::npos) break;
        if_none_match.remove_prefix(comma + 1);
    }
    return false;
}

Response serve(const Request& request, const WebAsset& asset, std::string_view cache_control) {
    Response response;
    auto if_none_match = request.headers.get("If-None-Match");
    if (if_none_match && names_etag(*if_none_match, asset.etag)) {
        response.status = 304;
    } else {
        response = Response::text(200, std::string(asset.bytes), asset.content_type);
    }
    response.headers.set("ETag", asset.etag);
    response.headers.set("Cache-Control", cache_control);
    response.headers.set("X-Content-Type-Options", "nosniff");
    return response;
}

struct Found {
    const WebAsset* asset = nullptr;  // null: no such file
    bool hashed = false;              // found by its content-hashed name
};

Found find(std::string_view name) {
    for (const auto& asset : web_assets()) {
        if (!asset.hashed_name.empty() && asset.hashed_name == name) return {&asset, true};
        if (asset.name == name) return {&asset, false};
    }
    return {};
}

Response page(const Request& request) {
    Response response = serve(request, *find("index.html").asset, kRevalidate);
    response.headers.set("Referrer-Policy", "no-referrer");
    response.headers.set("X-Frame-Options", "DENY");
    response.headers.set("Content-Security-Policy", kPagePolicy);
    return response;
}

Response file(const Request& request) {
    Found found = find(request.param("file"));
    if (!found.asset || found.asset->name == "index.html") {
        return Response::error(404, "not_found", "no such dashboard file");
    }
    return serve(request, *found.asset, found.hashed ? kImmutable : kRevalidate);
}

}  // namespace

void add_web_routes(http::Router& router) {
    http::RouteOptions open{.access = http::Access::open};
    router.add(http::Method::get, "/", page, open);
    router.add(http::Method::get, "/web/{file}", file, open);
}

}  // namespace vidgen::api
