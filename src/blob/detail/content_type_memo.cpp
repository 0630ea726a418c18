#include "blob/detail/content_type_memo.hpp"

#include "blob/blob_key.hpp"
#include "blob/detail/file_ops.hpp"
#include "core/hash.hpp"

namespace vidgen::blob::detail {
namespace {

constexpr std::size_t kMaxContentTypeFile = 256;
constexpr std::string_view kOctetStream = "application/octet-stream";

bool same_file(const struct stat& a, const struct stat& b) {
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size &&
           a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec &&
           a.st_ctim.tv_sec == b.st_ctim.tv_sec && a.st_ctim.tv_nsec == b.st_ctim.tv_nsec;
}

std::string read_content_type(const std::filesystem::path& sidecar) {
    auto text = read_small_file(sidecar, kMaxContentTypeFile);
    if (!text) return std::string(kOctetStream);
    auto clean = normalise_content_type(*text);
    return clean ? std::move(*clean) : std::string(kOctetStream);
}

}  // namespace

ContentTypeMemo::Shard& ContentTypeMemo::shard_for(std::string_view key) {
    return shards_[fast_hash(key) % shards_.size()];
}

std::string ContentTypeMemo::content_type(std::string_view key, const std::filesystem::path& sidecar) {
    struct stat identity {};
    if (::lstat(sidecar.c_str(), &identity) != 0 || !S_ISREG(identity.st_mode)) {
        forget(key);
        return std::string(kOctetStream);
    }
    Shard& shard = shard_for(key);
    {
        std::lock_guard lock(shard.mutex);
        auto found = shard.entries.find(std::string(key));
        if (found != shard.entries.end() && same_file(found->second.identity, identity))
            return found->second.content_type;
    }
    std::string type = read_content_type(sidecar);
    std::lock_guard lock(shard.mutex);
    if (shard.entries.size() >= kMaxEntriesPerShard) shard.entries.clear();
    shard.entries.insert_or_assign(std::string(key), Entry{identity, type});
    return type;
}

void ContentTypeMemo::forget(std::string_view key) {
    Shard& shard = shard_for(key);
    std::lock_guard lock(shard.mutex);
    shard.entries.erase(std::string(key));
}

}  // namespace vidgen::blob::detail
