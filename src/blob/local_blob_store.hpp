// LocalBlobStore: the BlobStore on a local (or POSIX network) filesystem.
// Layout: <root>/ab/cd/<key> holds the bytes of a key starting "abcd…", <root>/ab/cd/<key>.content-type its
// content type (a name that can never be a valid key; read once, then remembered while the file stays the
// same), <root>/tmp/ the open stores' private temp folders.
// A put writes a temp file, fsyncs it, link(2)s it into place (first writer wins, so equal content is kept
// once) and fsyncs the folder: a crash never leaves a partial file under a key, and leftovers in tmp/ are
// removed when a store next opens. Putting bytes already stored refreshes the time of their .content-type
// file (the blob's own time stays its first put's), so the blob sweeper's grace period (remove_if_older)
// counts from the latest put. Thread-safe: put and remove of one key are serialised within a store. Several
// stores (processes) may share one root; across them a put never corrupts a blob, but a put racing a remove
// of the same key in another process may report a key that is already gone again.
#pragma once

#include <array>
#include <filesystem>
#include <memory>
#include <mutex>

#include "blob/blob_store.hpp"

namespace vidgen::blob {

namespace detail {
class StagingArea;
class TempFile;
class LocalBlobWriter;
class ContentTypeMemo;
}  // namespace detail

class LocalBlobStore final : public BlobStore {
  public:
    // Creates <root> and <root>/tmp when missing and sweeps crash leftovers from <root>/tmp.
    static Result<std::unique_ptr<LocalBlobStore>> open_root(const std::filesystem::path& root);
    ~LocalBlobStore() override;

    Result<BlobInfo> put_file(const std::filesystem::path& source, std::string_view content_type,
                              PutMode mode = PutMode::copy) override;
    Result<std::unique_ptr<BlobWriter>> begin_put(std::uint64_t max_bytes) override;
    Result<BlobInfo> stat(std::string_view key) override;
    Result<OpenBlob> open(std::string_view key) override;
    Result<void> remove(std::string_view key) override;
    Result<std::vector<std::string>> list() override;
    Result<bool> remove_if_older(std::string_view key, std::chrono::system_clock::time_point cutoff) override;

    const std::filesystem::path& root() const { return root_; }
    // Where a key lives on disk (whether or not it is stored); Code::invalid_argument for a malformed key.
    Result<std::filesystem::path> path_for(std::string_view key) const;

  private:
    friend class detail::LocalBlobWriter;
    LocalBlobStore(std::filesystem::path root, std::unique_ptr<detail::StagingArea> staging);

    // Publishes a complete temp file under the key of its content.
    Result<BlobInfo> publish(detail::TempFile& file, std::string_view sha256, std::string_view content_type);
    Result<void> link_into_place(detail::TempFile& file, const std::filesystem::path& target,
                                 std::string_view content_type);
    Result<BlobInfo> move_in(const std::filesystem::path& source, std::string_view content_type);
    Result<BlobInfo> publish_moved(detail::TempFile& file, std::string_view content_type);
    Result<BlobInfo> copy_in(const std::filesystem::path& source, std::string_view content_type);
    std::mutex& lock_for(std::string_view key);
    Result<void> remove_locked(std::string_view valid_key);  // the key's lock held
    std::filesystem::path location(std::string_view valid_key) const;

    std::filesystem::path root_;
    std::unique_ptr<detail::StagingArea> staging_;
    std::array<std::mutex, 64> key_locks_;  // serialise publish and remove of one key within this process
    std::unique_ptr<detail::ContentTypeMemo> content_types_;  // sidecars already read, by key
};

}  // namespace vidgen::blob
