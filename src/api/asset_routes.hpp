// The asset, metadata and media routes:
//   POST /api/v1/assets (raw body or multipart/form-data, streamed), GET /api/v1/assets,
//   GET|DELETE /api/v1/assets/{id}, GET /api/v1/metadata/{id}, GET|HEAD /api/v1/media/{key} (no key needed).
// An asset is a tenant's record naming a content-addressed blob. Deleting an asset removes the record only:
// the blob stays, since other assets and job outputs with the same content share its key.
// The Context must outlive the router. Handlers are thread-safe.
#pragma once

#include "api/context.hpp"
#include "http/router.hpp"

namespace vidgen::api {

void add_asset_routes(http::Router& router, Context& context);

}  // namespace vidgen::api
