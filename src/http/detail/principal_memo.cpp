#include "http/detail/principal_memo.hpp"

#include <functional>

namespace vidgen::http::detail {
namespace {

constexpr std::size_t kShardEntriesBeforeSweep = 1024;

}  // namespace

PrincipalMemo::Shard& PrincipalMemo::shard_of(std::string_view api_key) {
    return shards_[std::hash<std::string_view>()(api_key) % shards_.size()];
}

std::optional<Principal> PrincipalMemo::find(std::string_view api_key, Clock::time_point now) {
    Shard& shard = shard_of(api_key);
    std::lock_guard lock(shard.mutex);
    auto found = shard.entries.find(api_key);
    if (found == shard.entries.end() || found->second.expires <= now) return std::nullopt;
    return found->second.principal;
}

void PrincipalMemo::remember(std::string_view api_key, const Principal& principal, Clock::time_point now) {
    Shard& shard = shard_of(api_key);
    std::lock_guard lock(shard.mutex);
    if (shard.entries.size() >= kShardEntriesBeforeSweep)
        std::erase_if(shard.entries, [&](const auto& entry) { return entry.second.expires <= now; });
    shard.entries.insert_or_assign(std::string(api_key), Entry{principal, now + ttl_});
}

}  // namespace vidgen::http::detail
