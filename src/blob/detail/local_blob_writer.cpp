#include "blob/detail/local_blob_writer.hpp"

#include <fmt/format.h>

#include "blob/detail/file_ops.hpp"
#include "blob/local_blob_store.hpp"

namespace vidgen::blob::detail {

LocalBlobWriter::LocalBlobWriter(LocalBlobStore& store, TempFile file, std::uint64_t max_bytes)
    : store_(store), file_(std::move(file)), max_bytes_(max_bytes) {}

Result<void> LocalBlobWriter::write(std::span<const std::byte> bytes) {
    if (!file_) return fail(Code::invalid_argument, "the upload is already committed or aborted");
    if (bytes.size() > max_bytes_ - written_) {
        abort();
        return fail(Code::limit_exceeded, fmt::format("the upload is larger than {} bytes", max_bytes_));
    }
    if (auto done = write_all(file_->fd(), bytes, file_->path()); !done) {
        abort();
        return done;
    }
    hash_.update(bytes);
    written_ += bytes.size();
    return {};
}

Result<BlobInfo> LocalBlobWriter::commit(std::string_view content_type) {
    if (!file_) return fail(Code::invalid_argument, "the upload is already committed or aborted");
    TempFile file = std::move(*file_);
    file_.reset();
    return store_.publish(file, hash_.finish_hex(), content_type);
}

}  // namespace vidgen::blob::detail
