// The media a job's spec names, made safe and local before planning. An API job may use only https://
// URLs and asset:ID sources: a local path (relative or absolute) or a font file would let a user read the
// server's files, so it is refused with the field's JSON Pointer. https sources are downloaded into the
// job's scratch folder (through the media input policy) and the spec is pointed at the download; asset ids
// are looked up among the tenant's assets and their blobs. Every source's content hash is kept, in spec
// order, for the render key. One JobSources per job; after prepare() its const methods are thread-safe.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "blob/blob_store.hpp"
#include "core/error.hpp"
#include "media/policy.hpp"
#include "spec/model.hpp"
#include "store/store.hpp"

namespace vidgen::worker {

// Ok when every source is https:// or asset:ID and no font file is named; else the first offender.
Result<void> refuse_local_files(const spec::Spec& spec);

class JobSources {
  public:
    JobSources(store::Store& store, blob::BlobStore& blobs, std::string tenant_id);

    // Checks the spec (refuse_local_files), downloads its https sources into `download_dir` and rewrites
    // them to the downloaded files, and resolves its asset ids.
    Result<void> prepare(spec::Spec& spec, const std::filesystem::path& download_dir,
                         const media::InputLimits& limits);

    // Content hashes (SHA-256 hex) of the sources, one per source in spec order.
    const std::vector<std::string>& content_hashes() const { return hashes_; }
    // The blob file of an asset id resolved by prepare() (RenderOptions::resolve_asset).
    Result<std::filesystem::path> asset_path(std::string_view id) const;

  private:
    Result<void> download(spec::Source& source, const std::filesystem::path& dir,
                          const media::InputLimits& limits);
    Result<void> resolve_asset(const spec::Source& source);

    store::Store& store_;
    blob::BlobStore& blobs_;
    std::string tenant_id_;
    std::vector<std::string> hashes_;
    std::map<std::string, std::filesystem::path, std::less<>> assets_;
};

}  // namespace vidgen::worker
