#include "render/sources.hpp"

#include <fmt/format.h>

#include "core/hash.hpp"
#include "media/policy.hpp"

namespace vidgen::render {
namespace {

std::filesystem::path fetch_target(std::string_view url, const RenderOptions& options) {
    std::filesystem::path dir = options.fetch_dir;
    if (dir.empty()) dir = std::filesystem::temp_directory_path() / "vidgen-fetch";
    std::string_view tail = url.substr(url.find_last_of('/') + 1);
    tail = tail.substr(0, tail.find_first_of("?#"));
    std::string ext = std::filesystem::path(std::string(tail)).extension().string();
    if (ext.size() > 6) ext.clear();
    return dir / fmt::format("{:016x}{}", fast_hash(url), ext);
}

Result<std::filesystem::path> fetch(const spec::Source& source, const RenderOptions& options) {
    auto target = fetch_target(source.uri, options);
    std::error_code ec;
    std::filesystem::create_directories(target.parent_path(), ec);
    if (ec)
        return fail(Code::io,
                    fmt::format("cannot create {}: {}", target.parent_path().string(), ec.message()));
    auto fetched = media::fetch_https(source.uri, target, options.input);
    if (!fetched) {
        Error e = fetched.error();
        e.pointer = source.pointer;
        return std::unexpected(e);
    }
    return *fetched;
}

Result<std::filesystem::path> asset_file(const spec::Source& source, const RenderOptions& options) {
    if (!options.resolve_asset) return fail(Code::unsupported, "asset ids need vidgen serve", source.pointer);
    auto path = options.resolve_asset(std::string_view(source.uri).substr(6));
    if (!path) {
        Error e = path.error();
        e.pointer = source.pointer;
        return std::unexpected(e);
    }
    auto checked = media::check_local_file(*path, options.input);
    if (!checked) return fail(checked.error().code, checked.error().message, source.pointer);
    return *path;
}

}  // namespace

Result<std::filesystem::path> resolve_source(const spec::Source& source, const RenderOptions& options) {
    const std::string& uri = source.uri;
    if (uri.starts_with("asset:")) return asset_file(source, options);
    if (uri.starts_with("https://")) return fetch(source, options);
    if (uri.find("://") != std::string::npos)
        return fail(Code::unsupported, fmt::format("only https:// URLs are fetched, not {}", uri),
                    source.pointer);
    std::filesystem::path path(uri);
    if (path.is_relative()) path = (options.base_dir / path).lexically_normal();
    auto checked = media::check_local_file(path, options.input);
    if (!checked) {
        Error e = checked.error();
        e.pointer = source.pointer;
        if (!std::filesystem::exists(path))
            e = {Code::not_found, "no such file: " + path.string(), source.pointer};
        return std::unexpected(e);
    }
    return path;
}

}  // namespace vidgen::render
