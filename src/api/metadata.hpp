// Probe metadata of stored media: what an asset or a job output is (image, video, audio or font) and its
// figures (format, duration, streams, dimensions). The kind comes from the content's first bytes, the
// figures from libavformat (video, audio) or libvips (images); fonts are recognised by their header only.
// Thread-safe: no shared state beyond the BlobStore and Cache, which are thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include <chrono>
#include <string_view>

#include "api/context.hpp"
#include "blob/blob_store.hpp"
#include "core/error.hpp"
#include "store/records.hpp"

namespace vidgen::api {

// How long probe metadata stays in the cache: the content under a key never changes; deleting an asset
// invalidates its tag at once.
inline constexpr std::chrono::milliseconds kMetadataTtl = std::chrono::hours{1};

// {"kind","format","duration"?,"width"?,"height"?,"has_alpha"?,"streams"?} of the blob opened as `blob`.
// Code::unsupported when the content is no media vidgen can use (unknown type, undecodable, no video or
// audio stream); Code::limit_exceeded when it is over `max_bytes` or the pixel limits.
Result<boost::json::object> probe_blob(const blob::OpenBlob& blob, std::uint64_t max_bytes);

// The probe of the blob `content_key`, from the cache (key "probe:<content_key>": the content under a key
// never changes) or probed now and cached with tag asset_tag(id) (assets_json.hpp). Errors: the blob store's,
// probe_blob's.
Result<boost::json::object> cached_probe(Context& context, std::string_view content_key, std::string_view id);
// Puts a probe just made into the cache, as cached_probe() would.
void remember_probe(Context& context, std::string_view content_key, std::string_view id,
                    const boost::json::object& probe);

// The JSON text served by GET /api/v1/metadata/{id}: {"id","key","content_type","size","sha256",
// "probe":{…}} for an asset of `tenant_id` or, when `id` is a blob key, for any stored blob (a content
// key is a capability, as for GET /api/v1/media/{key}). The probe comes from cached_probe().
// Errors: Code::not_found for an unknown id or another tenant's asset, probe_blob's errors otherwise.
Result<std::string> metadata_json(Context& context, std::string_view tenant_id, std::string_view id);

}  // namespace vidgen::api
