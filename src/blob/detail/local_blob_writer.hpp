// The streamed upload of LocalBlobStore: bytes go to a staging temp file and into a running SHA-256; commit
// publishes through the store. One thread at a time; must not outlive its store.
#pragma once

#include <cstdint>
#include <optional>

#include "blob/blob_store.hpp"
#include "blob/detail/temp_file.hpp"
#include "core/hash.hpp"

namespace vidgen::blob {
class LocalBlobStore;
}

namespace vidgen::blob::detail {

class LocalBlobWriter final : public BlobWriter {
  public:
    LocalBlobWriter(LocalBlobStore& store, TempFile file, std::uint64_t max_bytes);
    using BlobWriter::write;
    Result<void> write(std::span<const std::byte> bytes) override;
    Result<BlobInfo> commit(std::string_view content_type) override;
    void abort() override { file_.reset(); }
    std::uint64_t bytes_written() const override { return written_; }

  private:
    LocalBlobStore& store_;
    std::optional<TempFile> file_;  // empty once committed or aborted
    Sha256 hash_;
    std::uint64_t max_bytes_;
    std::uint64_t written_ = 0;
};

}  // namespace vidgen::blob::detail
