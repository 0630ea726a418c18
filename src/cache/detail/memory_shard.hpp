// One shard of MemoryCache: a hash map, an LRU list, an expiry index and a tag index under one mutex.
// Byte accounting is shared: every shard adds its entries' cost to the cache-wide `total_bytes`.
// Internal to cache/. Every method locks the shard's mutex and holds no other lock: thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cache/cache.hpp"

namespace vidgen::cache::detail {

using TimePoint = std::chrono::steady_clock::time_point;

// A value as held: its bytes (zstd frame when `compressed`), shared so a reader copies or decompresses
// it after releasing the shard lock.
struct StoredValue {
    std::shared_ptr<const std::string> bytes;
    std::size_t raw_size = 0;
    bool compressed = false;
};

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

class MemoryShard {
  public:
    explicit MemoryShard(std::atomic<std::size_t>& total_bytes) : total_bytes_(total_bytes) {}

    // The entry's value, or nullopt (counted as a miss; an expired entry is dropped on the way).
    std::optional<StoredValue> find(std::string_view key, TimePoint now);
    // Inserts or replaces, sweeps expired entries, then evicts this shard's least recently used entries
    // (never the new one) while the cache-wide total exceeds `budget`.
    void put(std::string_view key, StoredValue value, TimePoint expires, std::vector<std::string> tags,
             std::size_t cost, TimePoint now, std::size_t budget);
    bool erase(std::string_view key);
    std::size_t erase_tag(std::string_view tag);
    std::size_t erase_matching(std::string_view glob);
    // Evicts least recently used entries while the cache-wide total exceeds `budget`.
    void evict_over(std::size_t budget);
    // Adds this shard's figures to `stats`.
    void add_stats(LayerStats& stats) const;

  private:
    struct Entry {
        std::string key;
        StoredValue value;
        TimePoint expires;
        std::vector<std::string> tags;
        std::size_t cost = 0;
        std::multimap<TimePoint, std::string>::iterator expiry;  // end() when it never expires
    };
    using Lru = std::list<Entry>;  // front: most recently used

    void remove(Lru::iterator entry);
    void sweep_expired(TimePoint now);
    void evict_locked(std::size_t budget, std::size_t keep);

    mutable std::mutex mutex_;
    std::atomic<std::size_t>& total_bytes_;
    Lru lru_;
    std::unordered_map<std::string, Lru::iterator, StringHash, std::equal_to<>> index_;
    std::multimap<TimePoint, std::string> expiry_;
    std::unordered_map<std::string, std::unordered_set<std::string>, StringHash, std::equal_to<>> tags_;
    LayerStats counters_;  // hits, misses, sets, evictions, expirations, invalidations, bytes
};

}  // namespace vidgen::cache::detail
