// Shared set-up for the blob tests: a store on a fresh private folder, and small file helpers.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>

#include "blob/local_blob_store.hpp"
#include "core/scratch_dir.hpp"

namespace vidgen::blob::testing {

namespace fs = std::filesystem;

inline void write_file(const fs::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

inline std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Everything readable from a descriptor, from offset 0 (pread: the descriptor's offset is untouched).
inline std::string read_fd(int fd) {
    std::string out;
    char buffer[65536];
    for (off_t offset = 0;;) {
        ssize_t got = ::pread(fd, buffer, sizeof buffer, offset);
        if (got <= 0) return out;
        out.append(buffer, static_cast<std::size_t>(got));
        offset += got;
    }
}

inline std::string random_bytes(std::size_t size, unsigned seed) {
    std::mt19937 generator(seed);
    std::string out(size, '\0');
    for (char& c : out) c = static_cast<char>(generator() & 0xff);
    return out;
}

// Regular files anywhere under <root>/tmp: what a finished or abandoned upload must not leave behind.
inline int staged_files(const fs::path& root) {
    int count = 0;
    for (const auto& entry : fs::recursive_directory_iterator(root / "tmp")) count += entry.is_regular_file();
    return count;
}

class BlobStoreTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto dir = ScratchDir::create("vidgen-blob-test");
        ASSERT_TRUE(dir) << dir.error().to_string();
        scratch_ = std::make_unique<ScratchDir>(std::move(*dir));
        root_ = scratch_->path() / "media";
        auto store = LocalBlobStore::open_root(root_);
        ASSERT_TRUE(store) << store.error().to_string();
        store_ = std::move(*store);
    }

    std::unique_ptr<ScratchDir> scratch_;
    fs::path root_;
    std::unique_ptr<LocalBlobStore> store_;
};

}  // namespace vidgen::blob::testing
