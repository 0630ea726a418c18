// ContentTypeMemo: the content types of blobs' ".content-type" sidecar files, remembered by blob key with
// the sidecar's identity (device, inode, size, modification time), so that describing a blob costs one
// stat of its sidecar rather than opening and reading it. A sidecar removed, replaced or rewritten has
// another identity (or none) and is read again (or its blob is octet-stream). Bounded: a shard that holds
// kMaxEntriesPerShard keys starts again. Thread-safe (sharded locks).
#pragma once

#include <sys/stat.h>

#include <array>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace vidgen::blob::detail {

class ContentTypeMemo {
  public:
    static constexpr std::size_t kMaxEntriesPerShard = 1024;

    // The normalised content type `sidecar` holds for blob `key`; "application/octet-stream" when the
    // sidecar is missing, unreadable or holds no valid type.
    std::string content_type(std::string_view key, const std::filesystem::path& sidecar);
    // Forgets `key` (its blob was removed).
    void forget(std::string_view key);

  private:
    struct Entry {
        struct stat identity {};
        std::string content_type;
    };
    struct Shard {
        std::mutex mutex;
        std::unordered_map<std::string, Entry> entries;
    };

    Shard& shard_for(std::string_view key);

    std::array<Shard, 16> shards_;
};

}  // namespace vidgen::blob::detail
