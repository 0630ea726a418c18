// A named temporary file that is unlinked when its owner goes, unless kept. Move-only; one thread at a time.
#pragma once

#include <filesystem>

#include "core/unique_fd.hpp"

namespace vidgen::blob::detail {

class TempFile {
  public:
    TempFile(UniqueFd fd, std::filesystem::path path) : fd_(std::move(fd)), path_(std::move(path)) {}
    TempFile(TempFile&& other) noexcept;
    TempFile& operator=(TempFile&& other) noexcept;
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    ~TempFile() { discard(); }

    int fd() const { return fd_.get(); }
    const std::filesystem::path& path() const { return path_; }
    void close() { fd_.reset(); }
    // A new descriptor for the same name (after something was renamed over it).
    void adopt_fd(UniqueFd fd) { fd_ = std::move(fd); }
    // The name now belongs to someone else (it was renamed away): do not unlink it.
    void forget() { path_.clear(); }
    void discard();

  private:
    UniqueFd fd_;
    std::filesystem::path path_;
};

}  // namespace vidgen::blob::detail
