#include "blob/detail/staging_area.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>

#include "blob/detail/file_ops.hpp"

namespace vidgen::blob::detail {
namespace {

namespace fs = std::filesystem;
constexpr int kClaimAttempts = 8;

// Removes one entry of <root>/tmp unless it is a folder whose flock another store holds.
void sweep_entry(const fs::path& entry) {
    std::error_code ec;
    if (fs::is_directory(fs::symlink_status(entry, ec))) {
        UniqueFd dir(::open(entry.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW));
        if (!dir || ::flock(dir.get(), LOCK_EX | LOCK_NB) != 0) return;  // alive, or already gone
        fs::remove_all(entry, ec);
        return;
    }
    fs::remove(entry, ec);
}

Result<void> sweep(const fs::path& tmp_root) {
    std::error_code ec;
    fs::directory_iterator entries(tmp_root, ec);
    if (ec) return fail(Code::io, fmt::format("cannot list {}: {}", tmp_root.string(), ec.message()));
    for (const auto& entry : entries) sweep_entry(entry.path());
    return {};
}

bool same_file(int fd, const fs::path& path) {
    struct stat by_fd {
    }, by_name{};
    return ::fstat(fd, &by_fd) == 0 && ::lstat(path.c_str(), &by_name) == 0 &&
           by_fd.st_dev == by_name.st_dev && by_fd.st_ino == by_name.st_ino;
}

// Creates and locks a new folder. A concurrent sweep may take the lock between mkdir and flock and remove
// the folder; the lock is then on a deleted folder, which the name check notices, and we try again.
Result<std::pair<UniqueFd, fs::path>> claim(const fs::path& tmp_root) {
    for (int attempt = 0; attempt < kClaimAttempts; ++attempt) {
        std::string pattern = (tmp_root / "store-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) return errno_error("create a folder in", tmp_root);
        UniqueFd dir(::open(pattern.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW));
        if (!dir) continue;
        if (::flock(dir.get(), LOCK_EX) != 0) return errno_error("lock", pattern);
        if (same_file(dir.get(), pattern)) return std::pair{std::move(dir), fs::path(pattern)};
    }
    return fail(Code::io, fmt::format("cannot claim a private folder in {}", tmp_root.string()));
}

}  // namespace

Result<std::unique_ptr<StagingArea>> StagingArea::open(const fs::path& tmp_root) {
    if (auto made = ensure_dir(tmp_root); !made) return std::unexpected(made.error());
    if (auto swept = sweep(tmp_root); !swept) return std::unexpected(swept.error());
    auto claimed = claim(tmp_root);
    if (!claimed) return std::unexpected(claimed.error());
    return std::unique_ptr<StagingArea>(new StagingArea(std::move(claimed->first), claimed->second));
}

StagingArea::~StagingArea() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
}

Result<TempFile> StagingArea::create_file() {
    fs::path path = dir_ / fmt::format("part-{}", next_.fetch_add(1));
    UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644));
    if (!fd) return errno_error("create", path);
    return TempFile(std::move(fd), std::move(path));
}

}  // namespace vidgen::blob::detail
