#include "api/asset_routes.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>

#include "api/assets_json.hpp"
#include "api/assets_upload.hpp"
#include "api/errors.hpp"
#include "api/handler_support.hpp"
#include "api/media.hpp"
#include "api/metadata.hpp"
#include "core/log.hpp"

namespace vidgen::api {
namespace {

namespace json = boost::json;
using http::Method;
using http::Request;
using http::Response;

constexpr std::size_t kMaxNameBytes = 255;
// Room for the boundaries and part headers around a multipart upload's file.
constexpr std::uint64_t kMultipartOverheadBytes = std::uint64_t{64} << 10;

std::string media_prefix(const Context& context) {
    return context.public_url + "/api/v1/media/";
}

store::TimeMs now_ms() {
    auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
    return std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count();
}

bool is_control(unsigned char c) {
    return c < 0x20 || c == 0x7f;
}

// ?name=, checked before the upload is read: at most kMaxNameBytes and no control characters.
Result<std::string> query_name(const Request& request) {
    std::string name(request.query_value("name").value_or(""));
    if (name.size() > kMaxNameBytes || std::any_of(name.begin(), name.end(), is_control)) {
        return fail(Code::invalid_argument, "a name has at most 255 bytes and no control characters",
                    "/name");
    }
    return name;
}

// A file part's name made fit: control characters dropped, cut to kMaxNameBytes at a UTF-8 boundary.
std::string clean_filename(std::string_view filename) {
    std::string name;
    for (char c : filename) {
        if (!is_control(static_cast<unsigned char>(c))) name += c;
    }
    if (name.size() <= kMaxNameBytes) return name;
    std::size_t cut = kMaxNameBytes;
    while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
    return name.substr(0, cut);
}

// The asset's name: ?name=, else the uploaded file's name, else its content key.
std::string asset_name(std::string from_query, const ReceivedUpload& upload) {
    if (!from_query.empty()) return from_query;
    std::string name = clean_filename(upload.filename);
    return name.empty() ? upload.blob.key : name;
}

// A blob this upload stored first (not one stored before by anyone else) is removed when its content is
// refused after it was committed; a blob that existed already is left to whoever stored it. Content that
// fails the probe here fails it for every upload, so no asset can refer to such a blob. The margin covers
// filesystem timestamps, which run on a coarser clock than system_clock.
void discard_new_blob(Context& context, const blob::BlobInfo& blob,
                      std::chrono::system_clock::time_point start) {
    if (blob.modified + std::chrono::seconds{2} < start) return;
    if (auto removed = context.blobs->remove(blob.key); !removed)
        spdlog::warn("cannot remove refused upload {}: {}", blob.key, removed.error().to_string());
}

Response created_response(Context& context, const store::Asset& asset, const json::object& probe) {
    json::object body = asset_object(asset, media_prefix(context));
    body["probe"] = probe;
    Response response = json_response(201, body);
    response.headers.set("Location", "/api/v1/assets/" + asset.id);
    return response;
}

Response create_asset(Context& context, Request& request) {
    auto name = query_name(request);
    if (!name) return error_response(name.error());
    auto start = std::chrono::system_clock::now();
    auto upload = receive_upload(request, *context.blobs, context.max_asset_bytes);
    if (!upload) return error_response(upload.error());
    auto opened = context.blobs->open(upload->blob.key);
    if (!opened) return error_response(opened.error());
    auto probe = probe_blob(*opened, context.max_asset_bytes);
    if (!probe) {
        discard_new_blob(context, upload->blob, start);
        return error_response(probe.error());
    }
    auto asset = context.store->create_asset({.tenant_id = tenant_of(request),
                                              .content_key = upload->blob.key,
                                              .size = static_cast<std::int64_t>(upload->blob.size),
                                              .content_type = upload->blob.content_type,
                                              .name = asset_name(std::move(*name), *upload),
                                              .created = now_ms()});
    if (!asset) return error_response(asset.error());
    remember_probe(context, asset->content_key, asset->id, *probe);
    context.cache->invalidate_tag(assets_tag(tenant_of(request)));
    return created_response(context, *asset, *probe);
}

Response list_assets(Context& context, Request& request) {
    auto assets = context.store->list_assets(tenant_of(request));
    if (!assets) return error_response(assets.error());
    json::array items;
    for (const auto& asset : *assets) items.push_back(asset_object(asset, media_prefix(context)));
    return cached(json_response(200, json::object{{"assets", std::move(items)}}),
                  {assets_tag(tenant_of(request))}, context);
}

// The asset with its probe; an asset whose probe fails (its blob gone) is shown without one.
Response get_asset(Context& context, Request& request) {
    auto asset = context.store->get_asset(tenant_of(request), request.param("id"));
    if (!asset) return error_response(asset.error());
    json::object body = asset_object(*asset, media_prefix(context));
    if (auto probe = cached_probe(context, asset->content_key, asset->id)) {
        body["probe"] = std::move(*probe);
    } else {
        spdlog::warn("asset {} has no probe: {}", asset->id, probe.error().to_string());
    }
    return cached(json_response(200, body), {asset_tag(asset->id)}, context);
}

Response delete_asset(Context& context, Request& request) {
    auto removed = context.store->delete_asset(tenant_of(request), request.param("id"));
    if (!removed) return error_response(removed.error());
    context.cache->invalidate_tag(asset_tag(removed->id));
    context.cache->invalidate_tag(assets_tag(tenant_of(request)));
    Response response;
    response.status = 204;
    return response;
}

Response get_metadata(Context& context, Request& request) {
    std::string id(request.param("id"));
    auto text = metadata_json(context, tenant_of(request), id);
    if (!text) return error_response(text.error());
    return cached(Response::json(200, std::move(*text)), {asset_tag(id)}, context);
}

}  // namespace

void add_asset_routes(http::Router& router, Context& context) {
    auto bind = [&context](Response (*handler)(Context&, Request&)) {
        return [&context, handler](Request& request) { return handler(context, request); };
    };
    router.add(Method::post, "/api/v1/assets", bind(create_asset),
               {.stream_body = true, .max_body_bytes = context.max_asset_bytes + kMultipartOverheadBytes});
    router.add(Method::get, "/api/v1/assets", bind(list_assets), {.cacheable = true});
    router.add(Method::get, "/api/v1/assets/{id}", bind(get_asset), {.cacheable = true});
    router.add(Method::del, "/api/v1/assets/{id}", bind(delete_asset));
    router.add(Method::get, "/api/v1/metadata/{id}", bind(get_metadata), {.cacheable = true});
    router.add(Method::get, "/api/v1/media/{key}",
               [&context](Request& request) { return media_response(context, request.param("key")); },
               {.access = http::Access::open});
}

}  // namespace vidgen::api
