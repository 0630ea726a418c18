#include "api/media.hpp"

#include "api/errors.hpp"
#include "blob/blob_key.hpp"

namespace vidgen::api {

http::Response media_response(Context& context, std::string_view key) {
    auto not_found = [] { return http::Response::error(404, "not_found", "no such media"); };
    if (!blob::validate_key(key)) return not_found();
    auto blob = context.blobs->open(key);
    if (!blob) return blob.error().code == Code::not_found ? not_found() : error_response(blob.error());
    http::FileBody file{.fd = std::move(blob->fd),
                        .size = blob->info.size,
                        .etag = blob->info.etag(),
                        .last_modified = blob->info.modified};
    http::Response response = http::Response::file(std::move(file), blob->info.content_type);
    response.headers.set("Cache-Control", "public, max-age=31536000, immutable");
    response.compressible = false;
    return response;
}

}  // namespace vidgen::api
