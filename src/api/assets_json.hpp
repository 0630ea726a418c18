// The public JSON view of an asset and the cache tags of the responses that show assets. Pure; thread-safe.
//   {"id","name","content_type","size","sha256","url","created" (ISO-8601 UTC),"probe"?:{…}}
#pragma once

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

#include "store/records.hpp"

namespace vidgen::api {

// `media_url_prefix` + content key is the asset's url ("http://host/api/v1/media/").
boost::json::object asset_object(const store::Asset& asset, std::string_view media_url_prefix);

// Responses that show one asset or its metadata (GET /api/v1/assets/{id}, /api/v1/metadata/{id}).
std::string asset_tag(std::string_view asset_id);

// Responses that list a tenant's assets.
std::string assets_tag(std::string_view tenant_id);

}  // namespace vidgen::api
