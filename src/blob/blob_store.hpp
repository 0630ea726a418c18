// BlobStore: the content-addressed media store. A blob is immutable and named by its key
// ("<sha256>.<ext>", see blob_key.hpp); putting the same bytes with the same type twice keeps one copy.
// Publication is atomic: a key either names the complete bytes or nothing. Implementations: local disk
// (LocalBlobStore); a shared store (network filesystem, S3) may join later behind this interface.
// Thread-safe: every method may be called from any thread. A BlobWriter belongs to one thread at a time
// and must not outlive the store that made it.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/unique_fd.hpp"

namespace vidgen::blob {

struct BlobInfo {
    std::string key;                                 // "<sha256>.mp4"
    std::string sha256;                              // lower-case hex SHA-256 of the content
    std::uint64_t size = 0;                          // bytes
    std::string content_type;                        // as given at put time, e.g. "video/mp4"
    std::chrono::system_clock::time_point modified;  // when the blob was first stored
    // Strong ETag header value: the SHA-256 in double quotes.
    std::string etag() const { return "\"" + sha256 + "\""; }
};

// An opened blob for serving: the descriptor allows pread and zero-copy sendfile; it stays valid even if
// the blob is removed meanwhile. `path` names the file for libraries that open by name (empty when the
// store has no local file).
struct OpenBlob {
    UniqueFd fd;
    BlobInfo info;
    std::filesystem::path path;
};

// A streamed upload: write() the bytes in order, then commit() or abort(). Bytes go to a private temp file,
// never whole into memory. Going past the size limit given to begin_put() fails with Code::limit_exceeded
// and discards everything; so does any other write error. Destroying an uncommitted writer aborts it.
class BlobWriter {
  public:
    virtual ~BlobWriter() = default;
    virtual Result<void> write(std::span<const std::byte> bytes) = 0;
    Result<void> write(std::string_view bytes) { return write(std::as_bytes(std::span(bytes))); }
    // Makes the bytes durable and publishes them under their key. The writer is finished afterwards.
    virtual Result<BlobInfo> commit(std::string_view content_type) = 0;
    virtual void abort() = 0;
    virtual std::uint64_t bytes_written() const = 0;
};

enum class PutMode {
    copy,  // the source file is left as it was
    move,  // the source file is taken in (renamed when on the same filesystem) and no longer exists
};

class BlobStore {
  public:
    virtual ~BlobStore() = default;

    // Stores a finished file. Errors: Code::not_found (no source), Code::io, Code::invalid_argument (type).
    virtual Result<BlobInfo> put_file(const std::filesystem::path& source, std::string_view content_type,
                                      PutMode mode = PutMode::copy) = 0;
    // Starts a streamed upload of at most `max_bytes` bytes.
    virtual Result<std::unique_ptr<BlobWriter>> begin_put(std::uint64_t max_bytes) = 0;

    // Every key-taking call fails with Code::invalid_argument for a malformed key, before touching storage,
    // and with Code::not_found for a well-formed key that is not stored.
    virtual Result<BlobInfo> stat(std::string_view key) = 0;
    virtual Result<OpenBlob> open(std::string_view key) = 0;
    virtual Result<void> remove(std::string_view key) = 0;
    // Every stored key, in no particular order.
    virtual Result<std::vector<std::string>> list() = 0;
    // Removes the blob only when it was last put (first or again) before `cutoff` (the blob sweeper,
    // worker/blob_sweeper.hpp): true when removed; false when it is younger or already gone (another sweeper
    // was first).
    virtual Result<bool> remove_if_older(std::string_view key,
                                         std::chrono::system_clock::time_point cutoff) = 0;
};

}  // namespace vidgen::blob
