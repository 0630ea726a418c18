// The store's private folder for files being written: <root>/tmp/store-XXXXXX, locked with flock(2) for as
// long as the store is open. Opening sweeps <root>/tmp: folders whose lock is free belong to a store that
// crashed or closed, and are removed with their half-written files; live stores' folders are left alone.
// Thread-safe: create_file() may be called from any thread. Removes its folder when destroyed.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>

#include "blob/detail/temp_file.hpp"
#include "core/error.hpp"
#include "core/unique_fd.hpp"

namespace vidgen::blob::detail {

class StagingArea {
  public:
    static Result<std::unique_ptr<StagingArea>> open(const std::filesystem::path& tmp_root);
    StagingArea(const StagingArea&) = delete;
    StagingArea& operator=(const StagingArea&) = delete;
    ~StagingArea();

    // A new empty file, open for reading and writing, with a name no one else uses.
    Result<TempFile> create_file();
    const std::filesystem::path& dir() const { return dir_; }

  private:
    StagingArea(UniqueFd lock, std::filesystem::path dir) : lock_(std::move(lock)), dir_(std::move(dir)) {}
    UniqueFd lock_;  // the folder itself, opened and flock-ed
    std::filesystem::path dir_;
    std::atomic<std::uint64_t> next_ = 0;
};

}  // namespace vidgen::blob::detail
