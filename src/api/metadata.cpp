#include "api/metadata.hpp"

#include <unistd.h>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/assets_json.hpp"
#include "api/assets_sniff.hpp"
#include "blob/blob_key.hpp"
#include "core/json_text.hpp"
#include "core/log.hpp"
#include "media/image.hpp"
#include "media/probe.hpp"

namespace vidgen::api {
namespace {

namespace json = boost::json;

Result<std::string> read_head(const blob::OpenBlob& blob) {
    std::string head(kSniffBytes, '\0');
    ssize_t n = ::pread(blob.fd.get(), head.data(), head.size(), 0);
    if (n < 0) return fail(Code::io, "cannot read the stored media");
    head.resize(static_cast<std::size_t>(n));
    return head;
}

Result<json::object> describe_image(const std::filesystem::path& path, const media::InputLimits& limits) {
    auto info = media::probe_image(path, limits);
    if (!info) return std::unexpected(info.error());
    return json::object{{"kind", "image"},
                        {"format", info->format},
                        {"width", info->width},
                        {"height", info->height},
                        {"has_alpha", info->has_alpha}};
}

// Video and audio: libavformat's figures; a file with neither a video nor an audio stream is refused.
Result<json::object> describe_av(const std::filesystem::path& path, const media::InputLimits& limits) {
    auto info = media::probe(path, limits);
    if (!info) return std::unexpected(info.error());
    if (!info->video() && !info->audio())
        return fail(Code::unsupported, "the file has no video or audio stream");
    json::object out = json::parse(media::to_json(*info)).as_object();
    out.erase("size_bytes");
    out["kind"] = info->video() ? "video" : "audio";
    if (const auto* video = info->video()) {
        out["width"] = video->width;
        out["height"] = video->height;
    }
    return out;
}

Result<json::object> probe_kind(const blob::OpenBlob& blob, const SniffedType& type,
                                std::uint64_t max_bytes) {
    media::InputLimits limits{.max_file_bytes = max_bytes};
    switch (type.kind) {
        case MediaKind::image:
            return describe_image(blob.path, limits);
        case MediaKind::video:
        case MediaKind::audio:
            return describe_av(blob.path, limits);
        case MediaKind::font:
            return json::object{{"kind", "font"},
                                {"format", type.content_type.substr(type.content_type.find('/') + 1)}};
    }
    return fail(Code::internal, "unknown media kind");
}

// The blob behind `id`: an asset of the tenant, or a blob key as it is.
Result<std::string> content_key_of(Context& context, std::string_view tenant_id, std::string_view id) {
    if (blob::validate_key(id)) return std::string(id);
    auto asset = context.store->get_asset(tenant_id, id);
    if (!asset) return std::unexpected(asset.error());
    return asset->content_key;
}

}  // namespace

Result<json::object> probe_blob(const blob::OpenBlob& blob, std::uint64_t max_bytes) {
    if (blob.path.empty()) return fail(Code::unsupported, "this media store keeps no local files to probe");
    auto head = read_head(blob);
    if (!head) return std::unexpected(head.error());
    auto type = sniff_media_type(*head);
    if (!type) return fail(Code::unsupported, "not an image, video, audio or font file vidgen can use");
    auto probe = probe_kind(blob, *type, max_bytes);
    if (probe) return probe;
    // The libraries' messages name server paths: log them, answer in general terms.
    spdlog::info("probe of {} failed: {}", blob.info.key, probe.error().to_string());
    if (probe.error().code == Code::limit_exceeded)
        return fail(Code::limit_exceeded, "the media is over the size or pixel limits");
    return fail(Code::unsupported, fmt::format("the {} cannot be read", media_kind_name(type->kind)));
}

Result<json::object> cached_probe(Context& context, std::string_view content_key, std::string_view id) {
    if (auto cached = context.cache->get("probe:" + std::string(content_key)); cached && *cached) {
        boost::system::error_code ec;
        auto value = json::parse(**cached, ec);
        if (!ec && value.is_object()) return std::move(value.as_object());
    }
    auto blob = context.blobs->open(content_key);
    if (!blob) return std::unexpected(blob.error());
    auto probe = probe_blob(*blob, context.max_asset_bytes);
    if (probe) remember_probe(context, content_key, id, *probe);
    return probe;
}

void remember_probe(Context& context, std::string_view content_key, std::string_view id,
                    const json::object& probe) {
    std::string key = "probe:" + std::string(content_key);
    if (auto stored =
            context.cache->set(key, json_text(probe), {.ttl = kMetadataTtl, .tags = {asset_tag(id)}});
        !stored) {
        spdlog::warn("cannot cache the probe of {}: {}", content_key, stored.error().to_string());
    }
}

Result<std::string> metadata_json(Context& context, std::string_view tenant_id, std::string_view id) {
    auto key = content_key_of(context, tenant_id, id);
    if (!key) return std::unexpected(key.error());
    auto info = context.blobs->stat(*key);
    if (!info) return std::unexpected(info.error());
    auto probe = cached_probe(context, *key, id);
    if (!probe) return std::unexpected(probe.error());
    json::object out{{"id", id},           {"key", info->key},       {"content_type", info->content_type},
                     {"size", info->size}, {"sha256", info->sha256}, {"probe", std::move(*probe)}};
    return json_text(out);
}

}  // namespace vidgen::api
