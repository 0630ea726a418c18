// A private temporary folder (mode 0700, under the system temp dir or a given parent) that is removed, with
// everything in it, when its owner goes. Move-only; not thread-safe to move while another thread uses it.
#pragma once

#include <filesystem>
#include <string_view>

#include "core/error.hpp"

namespace vidgen {

class ScratchDir {
  public:
    static Result<ScratchDir> create(std::string_view prefix);
    // Under `parent` instead of the system temp dir (empty: the system temp dir).
    static Result<ScratchDir> create_in(const std::filesystem::path& parent, std::string_view prefix);
    ScratchDir(ScratchDir&& other) noexcept;
    ScratchDir& operator=(ScratchDir&& other) noexcept;
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    ~ScratchDir();

    const std::filesystem::path& path() const { return path_; }

  private:
    explicit ScratchDir(std::filesystem::path path) : path_(std::move(path)) {}
    void remove();
    std::filesystem::path path_;
};

}  // namespace vidgen
