// LocalBlobStore: bringing finished files in (put_file) and listing the stored keys.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <functional>
#include <limits>
#include <system_error>

#include "blob/blob_key.hpp"
#include "blob/detail/file_ops.hpp"
#include "blob/detail/staging_area.hpp"
#include "blob/local_blob_store.hpp"
#include "core/hash.hpp"

namespace vidgen::blob {
namespace {

namespace fs = std::filesystem;
using detail::errno_error;

Result<void> require_regular_file(const fs::path& source) {
    struct stat info {};
    if (::lstat(source.c_str(), &info) != 0) return errno_error("find", source);
    if (!S_ISREG(info.st_mode)) {
        return fail(Code::invalid_argument, fmt::format("{} is not a regular file", source.string()));
    }
    return {};
}

Result<std::string> hash_file(const fs::path& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd) return errno_error("open", path);
    Sha256 hash;
    auto read = detail::for_each_chunk(fd.get(), path, [&](std::span<const std::byte> chunk) -> Result<void> {
        hash.update(chunk);
        return {};
    });
    if (!read) return std::unexpected(read.error());
    return hash.finish_hex();
}

bool is_hex_name(std::string_view name) {
    return name.size() == 2 && name.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// Calls `visit` for each entry of a folder, without exceptions; symlinks are reported, never followed.
Result<void> for_each_entry(const fs::path& dir,
                            const std::function<Result<void>(const fs::directory_entry&)>& visit) {
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
        if (it->is_symlink(ec) || ec) continue;
        if (auto visited = visit(*it); !visited) return visited;
    }
    if (ec) return fail(Code::io, fmt::format("cannot list {}: {}", dir.string(), ec.message()));
    return {};
}

}  // namespace

Result<BlobInfo> LocalBlobStore::put_file(const fs::path& source, std::string_view content_type,
                                          PutMode mode) {
    if (auto regular = require_regular_file(source); !regular) return std::unexpected(regular.error());
    return mode == PutMode::move ? move_in(source, content_type) : copy_in(source, content_type);
}

Result<BlobInfo> LocalBlobStore::copy_in(const fs::path& source, std::string_view content_type) {
    UniqueFd fd(::open(source.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd) return errno_error("open", source);
    auto writer = begin_put(std::numeric_limits<std::uint64_t>::max());
    if (!writer) return std::unexpected(writer.error());
    auto copied = detail::for_each_chunk(
        fd.get(), source, [&](std::span<const std::byte> chunk) { return (*writer)->write(chunk); });
    if (!copied) return std::unexpected(copied.error());
    return (*writer)->commit(content_type);
}

Result<BlobInfo> LocalBlobStore::publish_moved(detail::TempFile& file, std::string_view content_type) {
    auto sha256 = hash_file(file.path());
    if (!sha256) return std::unexpected(sha256.error());
    UniqueFd reopened(::open(file.path().c_str(), O_RDONLY | O_CLOEXEC));
    if (!reopened) return errno_error("open", file.path());
    file.adopt_fd(std::move(reopened));
    return publish(file, *sha256, content_type);
}

// The source is renamed over a freshly reserved staging name first, so the bytes hashed are the bytes kept
// even if someone writes to the old name meanwhile. Across filesystems it is copied, then unlinked.
Result<BlobInfo> LocalBlobStore::move_in(const fs::path& source, std::string_view content_type) {
    auto file = staging_->create_file();
    if (!file) return std::unexpected(file.error());
    file->close();
    if (::rename(source.c_str(), file->path().c_str()) != 0) {
        if (errno != EXDEV) return errno_error("move", source);
        auto copied = copy_in(source, content_type);
        if (copied && ::unlink(source.c_str()) != 0) return errno_error("remove", source);
        return copied;
    }
    auto stored = publish_moved(*file, content_type);
    if (!stored && ::rename(file->path().c_str(), source.c_str()) == 0) file->forget();  // give it back
    return stored;
}

Result<std::vector<std::string>> LocalBlobStore::list() {
    std::vector<std::string> keys;
    std::error_code ignored;  // an entry that cannot be inspected is skipped
    auto listed = for_each_entry(root_, [&](const fs::directory_entry& top) {
        if (!is_hex_name(top.path().filename().native()) || !top.is_directory(ignored)) return Result<void>{};
        return for_each_entry(top.path(), [&](const fs::directory_entry& middle) {
            if (!is_hex_name(middle.path().filename().native()) || !middle.is_directory(ignored))
                return Result<void>{};
            return for_each_entry(middle.path(), [&](const fs::directory_entry& entry) {
                std::string name = entry.path().filename().native();
                if (validate_key(name) && entry.is_regular_file(ignored)) keys.push_back(std::move(name));
                return Result<void>{};
            });
        });
    });
    if (!listed) return std::unexpected(listed.error());
    return keys;
}

}  // namespace vidgen::blob
