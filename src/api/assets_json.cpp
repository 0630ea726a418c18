#include "api/assets_json.hpp"

#include "queue/job_json.hpp"

namespace vidgen::api {

boost::json::object asset_object(const store::Asset& asset, std::string_view media_url_prefix) {
    return {{"id", asset.id},
            {"name", asset.name},
            {"content_type", asset.content_type},
            {"size", asset.size},
            {"sha256", asset.content_key.substr(0, asset.content_key.find('.'))},
            {"url", std::string(media_url_prefix) + asset.content_key},
            {"created", queue::iso8601_utc(asset.created)}};
}

std::string asset_tag(std::string_view asset_id) {
    return "asset:" + std::string(asset_id);
}

std::string assets_tag(std::string_view tenant_id) {
    return "assets:" + std::string(tenant_id);
}

}  // namespace vidgen::api
