#include "cache/memory_cache.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "cache/detail/memory_shard.hpp"
#include "cache/detail/zstd_codec.hpp"
#include "core/hash.hpp"

namespace vidgen::cache {
namespace {

detail::StoredValue encode(std::string_view value, const MemoryCacheOptions& options) {
    if (value.size() > options.compress_above) {
        if (auto frame = detail::zstd_compress(value, options.compression_level)) {
            return {std::make_shared<const std::string>(std::move(*frame)), value.size(), true};
        }
    }
    return {std::make_shared<const std::string>(value), value.size(), false};
}

std::size_t entry_cost(std::string_view key, const detail::StoredValue& value,
                       const std::vector<std::string>& tags) {
    std::size_t cost = kEntryOverheadBytes + key.size() + value.bytes->size();
    for (const std::string& tag : tags) cost += tag.size();
    return cost;
}

}  // namespace

MemoryCache::MemoryCache(MemoryCacheOptions options) : options_(std::move(options)) {
    options_.shards = std::max<std::size_t>(options_.shards, 1);
    if (!options_.clock) options_.clock = [] { return std::chrono::steady_clock::now(); };
    shards_.reserve(options_.shards);
    for (std::size_t i = 0; i < options_.shards; ++i) {
        shards_.push_back(std::make_unique<detail::MemoryShard>(total_bytes_));
    }
}

MemoryCache::~MemoryCache() = default;

namespace {

// Timing every read would cost more than most reads: one in this many is timed, per thread.
constexpr unsigned kLatencySampling = 32;

// Times the read it is made for when this thread's turn comes, and records it on destruction.
class SampledTimer {
  public:
    explicit SampledTimer(detail::LatencyWindow& window) : window_(window) {
        thread_local unsigned turn = 0;
        if (++turn % kLatencySampling == 0) start_ = std::chrono::steady_clock::now();
    }
    ~SampledTimer() {
        if (start_) window_.record(std::chrono::steady_clock::now() - *start_);
    }

  private:
    detail::LatencyWindow& window_;
    std::optional<std::chrono::steady_clock::time_point> start_;
};

}  // namespace

Result<std::optional<std::string>> MemoryCache::get(std::string_view key) {
    SampledTimer timer(get_latency_);
    auto found = shards_[shard_index(key)]->find(key, options_.clock());
    if (!found) return std::nullopt;
    if (!found->compressed) return std::optional<std::string>(*found->bytes);
    auto raw = detail::zstd_decompress(*found->bytes, found->raw_size);
    if (!raw) return std::unexpected(raw.error());
    return std::optional<std::string>(std::move(*raw));
}

Result<void> MemoryCache::do_set(std::string_view key, std::string_view value, const WriteOptions& options) {
    if (options.ttl.count() < 0) return fail(Code::invalid_argument, "cache ttl must not be negative");
    const std::size_t index = shard_index(key);
    detail::StoredValue stored = encode(value, options_);
    const std::size_t cost = entry_cost(key, stored, options.tags);
    if (cost > options_.max_bytes) {
        shards_[index]->erase(key);
        return fail(Code::limit_exceeded, fmt::format("cache entry of {} bytes exceeds the {} byte budget",
                                                      cost, options_.max_bytes));
    }
    const auto now = options_.clock();
    const auto expires = options.ttl.count() == 0 ? detail::TimePoint::max() : now + options.ttl;
    shards_[index]->put(key, std::move(stored), expires, options.tags, cost, now, options_.max_bytes);
    enforce_budget(index);
    return {};
}

Result<bool> MemoryCache::do_erase(std::string_view key) {
    return shards_[shard_index(key)]->erase(key);
}

Result<std::size_t> MemoryCache::do_invalidate_tag(std::string_view tag) {
    std::size_t dropped = 0;
    for (auto& shard : shards_) dropped += shard->erase_tag(tag);
    return dropped;
}

Result<std::size_t> MemoryCache::do_clear_pattern(std::string_view glob) {
    std::size_t dropped = 0;
    for (auto& shard : shards_) dropped += shard->erase_matching(glob);
    return dropped;
}

CacheStats MemoryCache::stats() const {
    return CacheStats{{layer_stats()}};
}

LayerStats MemoryCache::layer_stats() const {
    LayerStats stats;
    stats.layer = "memory";
    stats.capacity_bytes = options_.max_bytes;
    for (const auto& shard : shards_) shard->add_stats(stats);
    stats.latency = get_latency_.percentiles();
    return stats;
}

std::size_t MemoryCache::shard_index(std::string_view key) const {
    return fast_hash(key) % shards_.size();
}

// The written shard has already evicted what it could; take the rest from the others, one at a time.
void MemoryCache::enforce_budget(std::size_t written_shard) {
    for (std::size_t step = 1; step < shards_.size() && total_bytes_.load() > options_.max_bytes; ++step) {
        shards_[(written_shard + step) % shards_.size()]->evict_over(options_.max_bytes);
    }
}

}  // namespace vidgen::cache
