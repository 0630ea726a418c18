#include "http/detail/middleware.hpp"

#include <cmath>
#include <exception>

#include "core/log.hpp"
#include "http/detail/cached_response.hpp"

namespace vidgen::http::detail {
namespace {

std::string_view api_key_of(const Request& request) {
    if (auto key = request.headers.get("X-Api-Key"); key && !key->empty()) return *key;
    auto authorization = request.headers.get("Authorization");
    if (!authorization || authorization->size() <= 7) return {};
    std::string_view scheme = authorization->substr(0, 7);
    if (scheme != "Bearer " && scheme != "bearer ") return {};
    return authorization->substr(7);
}

Response unauthorized(std::string_view message) {
    Response response = Response::error(401, "unauthorized", message);
    response.headers.set("WWW-Authenticate", "Bearer");
    return response;
}

std::optional<Response> admit(Exchange& exchange, const Principal& principal) {
    if (exchange.route->options.access == Access::admin && !principal.admin)
        return Response::error(403, "forbidden", "this endpoint needs an admin key");
    exchange.request.principal = principal;
    return std::nullopt;
}

std::string cache_key(const Exchange& exchange) {
    std::string_view tenant;
    if (exchange.request.principal) tenant = exchange.request.principal->tenant_id;
    std::string key = "http:";
    key.reserve(key.size() + tenant.size() + exchange.request.target.size() + 8);
    key += tenant;
    key += '|';
    key += encoding_name(exchange.encoding);
    key += '|';
    key += exchange.request.target;
    return key;
}

std::optional<Response> cached(ServerState& state, const Exchange& exchange) {
    auto stored = state.cache->get(exchange.cache_key);
    if (!stored || !*stored) return std::nullopt;
    auto entry = decode_cached(**stored);
    if (!entry) return std::nullopt;
    Response response = Response::text(entry->status, std::string(entry->body), entry->content_type);
    if (!entry->content_encoding.empty()) response.headers.set("Content-Encoding", entry->content_encoding);
    response.headers.set("Vary", "Accept-Encoding");
    response.headers.set("X-Cache", "HIT");
    response.compressible = false;
    return response;
}

void compress_body(ServerState& state, Exchange& exchange, Response& response, std::string& body) {
    const CompressionOptions& options = state.options.compression;
    auto content_type = response.headers.get("Content-Type");
    if (exchange.encoding == Encoding::identity || body.size() < options.threshold ||
        response.status == 206 || !content_type || !is_compressible_type(*content_type) ||
        response.headers.get("Content-Encoding"))
        return;
    auto compressed = compress(exchange.encoding, body, options.level);
    if (!compressed) {
        spdlog::warn("http: {} compression failed: {}", encoding_name(exchange.encoding),
                     compressed.error().message);
        return;
    }
    body = std::move(*compressed);
    response.headers.set("Content-Encoding", encoding_name(exchange.encoding));
}

void store(ServerState& state, const Exchange& exchange, const Response& response, const std::string& body) {
    const auto ttl = response.cache_ttl.count() > 0 ? response.cache_ttl : state.options.response_cache_ttl;
    const CachedResponse entry{response.status, response.headers.get("Content-Type").value_or(""),
                               response.headers.get("Content-Encoding").value_or(""), body};
    auto stored = state.cache->set(exchange.cache_key, encode_cached(entry), {ttl, response.cache_tags});
    if (!stored) spdlog::warn("http: response cache write failed: {}", stored.error().message);
}

}  // namespace

AuthStep authorize_fast(ServerState& state, Exchange& exchange, std::optional<Response>& early) {
    if (exchange.route->options.access == Access::open) return AuthStep::done;
    const std::string_view key = api_key_of(exchange.request);
    if (key.empty()) {
        early = unauthorized("an API key is required (Authorization: Bearer KEY or X-Api-Key)");
        return AuthStep::done;
    }
    exchange.api_key.assign(key);
    auto principal = state.memo.find(key);
    if (!principal) return AuthStep::ask_authenticator;
    early = admit(exchange, *principal);
    return AuthStep::done;
}

std::optional<Response> authorize_slow(ServerState& state, Exchange& exchange) {
    auto principal = state.authenticator ? state.authenticator(exchange.api_key)
                                         : Result<Principal>(fail(Code::not_found, "no authenticator"));
    if (!principal) {
        if (principal.error().code == Code::not_found || principal.error().code == Code::invalid_argument)
            return unauthorized("the API key is not valid");
        spdlog::error("http: authenticating a key failed: {}", principal.error().message);
        if (principal.error().code != Code::io)
            return Response::error(500, "internal", "authentication is unavailable");
        Response response = Response::error(503, "unavailable", "authentication is unavailable; retry later");
        response.headers.set("Retry-After", "1");
        return response;
    }
    state.memo.remember(exchange.api_key, *principal);
    return admit(exchange, *principal);
}

std::optional<Response> limit_and_lookup(ServerState& state, Exchange& exchange) {
    if (state.limiter != nullptr) {
        const Request& request = exchange.request;
        const std::string& client = request.principal ? request.principal->key_id : request.remote_address;
        if (auto wait = state.limiter->acquire(client)) {
            Response response = Response::error(429, "rate_limited", "too many requests; retry later");
            response.headers.set("Retry-After",
                                 std::to_string(std::max(1, static_cast<int>(std::ceil(*wait)))));
            return response;
        }
    }
    const Method method = exchange.request.method;
    if (state.cache == nullptr || !exchange.route->options.cacheable ||
        (method != Method::get && method != Method::head))
        return std::nullopt;
    exchange.encoding = negotiate_encoding(exchange.request.headers.get("Accept-Encoding").value_or(""),
                                           state.options.compression.brotli);
    exchange.cache_key = cache_key(exchange);
    return cached(state, exchange);
}

Response run_handler(Exchange& exchange) {
    try {
        Response response = exchange.route->handler(exchange.request);
        if (exchange.limit_exceeded)
            return Response::error(413, "payload_too_large", "the request body is too large");
        return response;
    } catch (const std::exception& error) {
        spdlog::error("http: handler for {} {} threw: {}", method_name(exchange.request.method),
                      exchange.route->options.name, error.what());
    } catch (...) {
        spdlog::error("http: handler for {} {} threw", method_name(exchange.request.method),
                      exchange.route->options.name);
    }
    return Response::error(500, "internal", "internal server error");
}

void finalize(ServerState& state, Exchange& exchange, Response& response) {
    auto* body = std::get_if<std::string>(&response.body);
    if (body == nullptr) return;
    exchange.raw_body_bytes = body->size();
    if (!exchange.cache_key.empty()) response.headers.set("X-Cache", "MISS");
    if (response.compressible) {
        response.headers.set("Vary", "Accept-Encoding");
        if (exchange.cache_key.empty())
            exchange.encoding =
                negotiate_encoding(exchange.request.headers.get("Accept-Encoding").value_or(""),
                                   state.options.compression.brotli);
        compress_body(state, exchange, response, *body);
    }
    if (!exchange.cache_key.empty() && exchange.request.method == Method::get && response.status == 200 &&
        !response.cache_tags.empty())
        store(state, exchange, response, *body);
}

}  // namespace vidgen::http::detail
