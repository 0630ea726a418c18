#include "blob/detail/file_ops.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace vidgen::blob::detail {

std::unexpected<Error> errno_error(std::string_view what, const std::filesystem::path& path) {
    int error = errno;
    Code code = error == ENOENT ? Code::not_found : Code::io;
    return fail(code, fmt::format("cannot {} {}: {}", what, path.string(), std::strerror(error)));
}

Result<void> write_all(int fd, std::span<const std::byte> bytes, const std::filesystem::path& path) {
    while (!bytes.empty()) {
        ssize_t written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0 && errno == EINTR) continue;
        if (written < 0) return errno_error("write", path);
        bytes = bytes.subspan(static_cast<std::size_t>(written));
    }
    return {};
}

Result<void> for_each_chunk(int fd, const std::filesystem::path& path,
                            const std::function<Result<void>(std::span<const std::byte>)>& sink) {
    constexpr std::size_t kChunk = std::size_t{1} << 20;
    std::vector<std::byte> buffer(kChunk);
    for (;;) {
        ssize_t got = ::read(fd, buffer.data(), buffer.size());
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return errno_error("read", path);
        if (got == 0) return {};
        if (auto taken = sink(std::span(buffer).first(static_cast<std::size_t>(got))); !taken) return taken;
    }
}

Result<std::string> read_small_file(const std::filesystem::path& path, std::size_t max_bytes) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd) return errno_error("open", path);
    std::string text(max_bytes, '\0');
    std::size_t filled = 0;
    while (filled < max_bytes) {
        ssize_t got = ::read(fd.get(), text.data() + filled, max_bytes - filled);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return errno_error("read", path);
        if (got == 0) break;
        filled += static_cast<std::size_t>(got);
    }
    text.resize(filled);
    return text;
}

Result<void> sync_fd(int fd, const std::filesystem::path& path) {
    if (::fsync(fd) != 0) return errno_error("sync", path);
    return {};
}

Result<void> sync_dir(const std::filesystem::path& dir) {
    UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd) return errno_error("open folder", dir);
    return sync_fd(fd.get(), dir);
}

Result<void> ensure_dir(const std::filesystem::path& dir) {
    if (::mkdir(dir.c_str(), 0755) == 0) return sync_dir(dir.parent_path());
    if (errno != EEXIST) return errno_error("create folder", dir);
    struct stat info {};
    if (::lstat(dir.c_str(), &info) != 0) return errno_error("inspect", dir);
    if (!S_ISDIR(info.st_mode)) return fail(Code::io, fmt::format("{} is not a folder", dir.string()));
    return {};
}

}  // namespace vidgen::blob::detail
