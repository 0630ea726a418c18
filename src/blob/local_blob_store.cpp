#include "blob/local_blob_store.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <limits>
#include <system_error>

#include "blob/blob_key.hpp"
#include "blob/detail/content_type_memo.hpp"
#include "blob/detail/file_ops.hpp"
#include "blob/detail/local_blob_writer.hpp"
#include "blob/detail/staging_area.hpp"
#include "core/hash.hpp"

namespace vidgen::blob {
namespace {

namespace fs = std::filesystem;
using detail::errno_error;

fs::path content_type_path(const fs::path& blob) {
    fs::path sidecar = blob;
    sidecar += ".content-type";
    return sidecar;
}

std::chrono::system_clock::time_point modified_time(const struct stat& info) {
    auto since_epoch =
        std::chrono::seconds(info.st_mtim.tv_sec) + std::chrono::nanoseconds(info.st_mtim.tv_nsec);
    return std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(since_epoch));
}

Result<BlobInfo> describe(std::string_view key, const fs::path& path, const struct stat& info,
                          detail::ContentTypeMemo& content_types) {
    if (!S_ISREG(info.st_mode)) return fail(Code::io, fmt::format("{} is not a regular file", path.string()));
    return BlobInfo{std::string(key), std::string(key.substr(0, 64)),
                    static_cast<std::uint64_t>(info.st_size),
                    content_types.content_type(key, content_type_path(path)), modified_time(info)};
}

// A put of bytes already stored: the sidecar's time (the blob's when the sidecar is lost) becomes now, the
// latest put that remove_if_older counts from. The blob's own time stays its first put's (Last-Modified).
Result<void> mark_put(const fs::path& blob) {
    fs::path sidecar = content_type_path(blob);
    if (::utimensat(AT_FDCWD, sidecar.c_str(), nullptr, AT_SYMLINK_NOFOLLOW) == 0) return {};
    if (errno != ENOENT) return errno_error("touch", sidecar);
    if (::utimensat(AT_FDCWD, blob.c_str(), nullptr, AT_SYMLINK_NOFOLLOW) != 0)
        return errno_error("touch", blob);
    return {};
}

// The later of the blob's time and its sidecar's: when the blob was last put.
std::chrono::system_clock::time_point latest_put(const fs::path& blob, const struct stat& info) {
    struct stat sidecar {};
    if (::lstat(content_type_path(blob).c_str(), &sidecar) != 0) return modified_time(info);
    return std::max(modified_time(info), modified_time(sidecar));
}

Result<void> unlink_name(const fs::path& path) {
    if (::unlink(path.c_str()) != 0) return errno_error("remove", path);
    return {};
}

}  // namespace

LocalBlobStore::LocalBlobStore(fs::path root, std::unique_ptr<detail::StagingArea> staging)
    : root_(std::move(root)),
      staging_(std::move(staging)),
      content_types_(std::make_unique<detail::ContentTypeMemo>()) {}

LocalBlobStore::~LocalBlobStore() = default;

Result<std::unique_ptr<LocalBlobStore>> LocalBlobStore::open_root(const fs::path& root) {
    std::error_code ec;
    fs::create_directories(root, ec);
    if (ec) return fail(Code::io, fmt::format("cannot create {}: {}", root.string(), ec.message()));
    auto staging = detail::StagingArea::open(root / "tmp");
    if (!staging) return std::unexpected(staging.error());
    return std::unique_ptr<LocalBlobStore>(new LocalBlobStore(root, std::move(*staging)));
}

Result<fs::path> LocalBlobStore::path_for(std::string_view key) const {
    if (auto valid = validate_key(key); !valid) return std::unexpected(valid.error());
    return location(key);
}

fs::path LocalBlobStore::location(std::string_view valid_key) const {
    return root_ / valid_key.substr(0, 2) / valid_key.substr(2, 2) / valid_key;
}

std::mutex& LocalBlobStore::lock_for(std::string_view key) {
    return key_locks_[fast_hash(key) % key_locks_.size()];
}

Result<std::unique_ptr<BlobWriter>> LocalBlobStore::begin_put(std::uint64_t max_bytes) {
    auto file = staging_->create_file();
    if (!file) return std::unexpected(file.error());
    return std::make_unique<detail::LocalBlobWriter>(*this, std::move(*file), max_bytes);
}

Result<BlobInfo> LocalBlobStore::publish(detail::TempFile& file, std::string_view sha256,
                                         std::string_view content_type) {
    auto type = normalise_content_type(content_type);
    if (!type) return std::unexpected(type.error());
    std::string key = make_key(sha256, *type);
    fs::path target = location(key);
    if (auto synced = detail::sync_fd(file.fd(), file.path()); !synced)
        return std::unexpected(synced.error());
    file.close();
    for (const fs::path& dir : {target.parent_path().parent_path(), target.parent_path()}) {
        if (auto made = detail::ensure_dir(dir); !made) return std::unexpected(made.error());
    }
    std::lock_guard lock(lock_for(key));  // held until the result is read: a racing remove cannot slip in
    struct stat existing {};
    if (::lstat(target.c_str(), &existing) != 0) {
        if (auto linked = link_into_place(file, target, *type); !linked)
            return std::unexpected(linked.error());
    } else if (auto touched = mark_put(target); !touched) {
        return std::unexpected(touched.error());
    }
    file.discard();
    return stat(key);
}

// Content type first, then the bytes: a key that exists always has its content type beside it.
Result<void> LocalBlobStore::link_into_place(detail::TempFile& file, const fs::path& target,
                                             std::string_view content_type) {
    auto sidecar = staging_->create_file();
    if (!sidecar) return std::unexpected(sidecar.error());
    auto text = std::as_bytes(std::span(content_type));
    if (auto written = detail::write_all(sidecar->fd(), text, sidecar->path()); !written) return written;
    if (auto synced = detail::sync_fd(sidecar->fd(), sidecar->path()); !synced) return synced;
    fs::path sidecar_target = content_type_path(target);
    if (::rename(sidecar->path().c_str(), sidecar_target.c_str()) != 0) {
        return errno_error("publish", sidecar_target);
    }
    sidecar->forget();
    if (::link(file.path().c_str(), target.c_str()) != 0 && errno != EEXIST) {
        return errno_error("publish", target);  // EEXIST: another process stored the same bytes first
    }
    return detail::sync_dir(target.parent_path());
}

Result<BlobInfo> LocalBlobStore::stat(std::string_view key) {
    if (auto valid = validate_key(key); !valid) return std::unexpected(valid.error());
    fs::path path = location(key);
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) return errno_error("find", path);
    return describe(key, path, info, *content_types_);
}

Result<OpenBlob> LocalBlobStore::open(std::string_view key) {
    if (auto valid = validate_key(key); !valid) return std::unexpected(valid.error());
    fs::path path = location(key);
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd) return errno_error("open", path);
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) return errno_error("inspect", path);
    auto blob = describe(key, path, info, *content_types_);
    if (!blob) return std::unexpected(blob.error());
    return OpenBlob{std::move(fd), std::move(*blob), std::move(path)};
}

Result<void> LocalBlobStore::remove(std::string_view key) {
    if (auto valid = validate_key(key); !valid) return valid;
    std::lock_guard lock(lock_for(key));
    return remove_locked(key);
}

// Under the key's lock, so a put in this process either refreshed the time first or links the key anew.
Result<bool> LocalBlobStore::remove_if_older(std::string_view key,
                                             std::chrono::system_clock::time_point cutoff) {
    if (auto valid = validate_key(key); !valid) return std::unexpected(valid.error());
    std::lock_guard lock(lock_for(key));
    fs::path path = location(key);
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) {
        if (errno == ENOENT) return false;
        return errno_error("find", path);
    }
    if (latest_put(path, info) >= cutoff) return false;
    auto removed = remove_locked(key);
    if (!removed && removed.error().code == Code::not_found) return false;
    if (!removed) return std::unexpected(removed.error());
    return true;
}

Result<void> LocalBlobStore::remove_locked(std::string_view key) {
    fs::path path = location(key);
    if (auto removed = unlink_name(path); !removed) return removed;
    content_types_->forget(key);
    if (auto removed = unlink_name(content_type_path(path));
        !removed && removed.error().code != Code::not_found) {
        return removed;
    }
    return detail::sync_dir(path.parent_path());
}

}  // namespace vidgen::blob
