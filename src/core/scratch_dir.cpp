#include "core/scratch_dir.hpp"

#include <fmt/format.h>
#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace vidgen {

Result<ScratchDir> ScratchDir::create(std::string_view prefix) {
    return create_in({}, prefix);
}

Result<ScratchDir> ScratchDir::create_in(const std::filesystem::path& parent, std::string_view prefix) {
    std::error_code ec;
    auto base = parent.empty() ? std::filesystem::temp_directory_path(ec) : parent;
    if (ec) return fail(Code::io, "no temporary folder: " + ec.message());
    std::string pattern = (base / (std::string(prefix) + "-XXXXXX")).string();
    if (mkdtemp(pattern.data()) == nullptr) {
        return fail(Code::io,
                    fmt::format("cannot create a folder in {}: {}", base.string(), std::strerror(errno)));
    }
    return ScratchDir(pattern);
}

ScratchDir::ScratchDir(ScratchDir&& other) noexcept : path_(std::move(other.path_)) {
    other.path_.clear();
}

ScratchDir& ScratchDir::operator=(ScratchDir&& other) noexcept {
    if (this != &other) {
        remove();
        path_ = std::move(other.path_);
        other.path_.clear();
    }
    return *this;
}

ScratchDir::~ScratchDir() {
    remove();
}

void ScratchDir::remove() {
    if (path_.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
    path_.clear();
}

}  // namespace vidgen
