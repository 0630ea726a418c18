// Small POSIX file helpers for the local blob store: errors as values, EINTR and short writes handled.
// Stateless; thread-safe.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/unique_fd.hpp"

namespace vidgen::blob::detail {

// Code::io with "cannot <what> <path>: <strerror(errno)>"; Code::not_found when errno is ENOENT.
std::unexpected<Error> errno_error(std::string_view what, const std::filesystem::path& path);

Result<void> write_all(int fd, std::span<const std::byte> bytes, const std::filesystem::path& path);
// Reads a file from its current offset to the end in chunks of up to 1 MiB, handing each to `sink`; stops at
// the first error, from reading or from the sink.
Result<void> for_each_chunk(int fd, const std::filesystem::path& path,
                            const std::function<Result<void>(std::span<const std::byte>)>& sink);
// Reads up to `max_bytes` bytes from the start of a file.
Result<std::string> read_small_file(const std::filesystem::path& path, std::size_t max_bytes);
Result<void> sync_fd(int fd, const std::filesystem::path& path);
// fsync of a directory, so that names created or removed in it are durable.
Result<void> sync_dir(const std::filesystem::path& dir);
// Creates one directory level if missing (its parent must exist) and makes the new name durable.
Result<void> ensure_dir(const std::filesystem::path& dir);

}  // namespace vidgen::blob::detail
