#include "worker/job_sources.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <fstream>

#include "core/hash.hpp"

namespace vidgen::worker {
namespace {

constexpr std::string_view kAssetScheme = "asset:";
constexpr std::string_view kHttpsScheme = "https://";

// Every source of the spec, in document order: clips track by track, then the soundtrack.
template <typename SpecT, typename Fn>
void for_each_source(SpecT& spec, Fn&& fn) {
    for (auto& track : spec.timeline.tracks) {
        for (auto& clip : track.clips) {
            std::visit(
                [&](auto& asset) {
                    if constexpr (requires { asset.src; }) fn(asset.src);
                },
                clip.asset);
        }
    }
    if (spec.timeline.soundtrack) fn(spec.timeline.soundtrack->src);
}

Result<std::string> file_sha256(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(Code::io, fmt::format("cannot read {}", path.string()));
    Sha256 hash;
    std::vector<char> buffer(1 << 16);
    while (in.read(buffer.data(), std::streamsize(buffer.size())) || in.gcount() > 0) {
        hash.update(std::string_view(buffer.data(), std::size_t(in.gcount())));
    }
    return hash.finish_hex();
}

// "source-<n>" plus the URL path's extension when it has a short one, for decoders that look at names.
std::string download_name(std::string_view url, std::size_t index) {
    std::string_view path = url.substr(0, url.find_first_of("?#"));
    std::string ext = std::filesystem::path(std::string(path.substr(path.find_last_of('/') + 1))).extension();
    bool plain = ext.size() <= 6 && std::ranges::all_of(ext.substr(std::min<std::size_t>(1, ext.size())),
                                                        [](unsigned char c) { return std::isalnum(c); });
    return fmt::format("source-{}{}", index, plain ? ext : "");
}

Error at(Error error, const std::string& pointer) {
    error.pointer = pointer;
    return error;
}

}  // namespace

Result<void> refuse_local_files(const spec::Spec& spec) {
    Result<void> verdict;
    for_each_source(spec, [&](const spec::Source& source) {
        if (!verdict || source.uri.starts_with(kHttpsScheme) || source.uri.starts_with(kAssetScheme)) return;
        verdict = fail(Code::invalid_argument,
                       fmt::format("local files are not allowed in API jobs (got '{}'); use an https:// URL "
                                   "or asset:ID",
                                   source.uri),
                       source.pointer);
    });
    if (!verdict) return verdict;
    for (const auto& track : spec.timeline.tracks) {
        for (const auto& clip : track.clips) {
            const auto* text = std::get_if<spec::TextAsset>(&clip.asset);
            if (text && !text->style.font_file.empty())
                return fail(Code::invalid_argument,
                            "font files are not allowed in API jobs; name an installed font family instead",
                            clip.pointer + "/style/font_file");
        }
    }
    return {};
}

JobSources::JobSources(store::Store& store, blob::BlobStore& blobs, std::string tenant_id)
    : store_(store), blobs_(blobs), tenant_id_(std::move(tenant_id)) {}

Result<void> JobSources::prepare(spec::Spec& spec, const std::filesystem::path& download_dir,
                                 const media::InputLimits& limits) {
    if (auto refused = refuse_local_files(spec); !refused) return refused;
    Result<void> verdict;
    for_each_source(spec, [&](spec::Source& source) {
        if (!verdict) return;
        verdict = source.uri.starts_with(kHttpsScheme) ? download(source, download_dir, limits)
                                                       : resolve_asset(source);
    });
    return verdict;
}

Result<void> JobSources::download(spec::Source& source, const std::filesystem::path& dir,
                                  const media::InputLimits& limits) {
    auto target = dir / download_name(source.uri, hashes_.size());
    auto fetched = media::fetch_https(source.uri, target, limits);
    if (!fetched) return std::unexpected(at(fetched.error(), source.pointer));
    auto hash = file_sha256(*fetched);
    if (!hash) return std::unexpected(at(hash.error(), source.pointer));
    hashes_.push_back(std::move(*hash));
    source.uri = fetched->string();
    return {};
}

Result<void> JobSources::resolve_asset(const spec::Source& source) {
    std::string id = source.uri.substr(kAssetScheme.size());
    auto asset = store_.get_asset(tenant_id_, id);
    if (!asset) return fail(asset.error().code, fmt::format("no asset {}", id), source.pointer);
    auto blob = blobs_.open(asset->content_key);
    if (!blob)
        return fail(blob.error().code, fmt::format("the content of asset {} is gone", id), source.pointer);
    if (blob->path.empty())
        return fail(Code::unsupported, "the media store keeps no local files", source.pointer);
    hashes_.push_back(blob->info.sha256);
    assets_.insert_or_assign(std::move(id), blob->path);
    return {};
}

Result<std::filesystem::path> JobSources::asset_path(std::string_view id) const {
    auto it = assets_.find(id);
    if (it == assets_.end()) return fail(Code::not_found, fmt::format("no asset {}", id));
    return it->second;
}

}  // namespace vidgen::worker
