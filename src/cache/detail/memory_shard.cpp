#include "cache/detail/memory_shard.hpp"

#include <utility>

namespace vidgen::cache::detail {

std::optional<StoredValue> MemoryShard::find(std::string_view key, TimePoint now) {
    std::lock_guard lock(mutex_);
    auto found = index_.find(key);
    if (found == index_.end()) {
        ++counters_.misses;
        return std::nullopt;
    }
    Lru::iterator entry = found->second;
    if (entry->expires <= now) {
        remove(entry);
        ++counters_.expirations;
        ++counters_.misses;
        return std::nullopt;
    }
    lru_.splice(lru_.begin(), lru_, entry);
    ++counters_.hits;
    return entry->value;
}

void MemoryShard::put(std::string_view key, StoredValue value, TimePoint expires,
                      std::vector<std::string> tags, std::size_t cost, TimePoint now, std::size_t budget) {
    std::lock_guard lock(mutex_);
    if (auto found = index_.find(key); found != index_.end()) remove(found->second);
    sweep_expired(now);
    lru_.push_front(Entry{std::string(key), std::move(value), expires, std::move(tags), cost, expiry_.end()});
    Lru::iterator entry = lru_.begin();
    index_.emplace(entry->key, entry);
    if (expires != TimePoint::max()) entry->expiry = expiry_.emplace(expires, entry->key);
    for (const std::string& tag : entry->tags) tags_[tag].insert(entry->key);
    counters_.bytes += cost;
    counters_.value_bytes += entry->value.raw_size;
    counters_.stored_value_bytes += entry->value.bytes->size();
    ++counters_.sets;
    total_bytes_.fetch_add(cost);
    evict_locked(budget, 1);
}

bool MemoryShard::erase(std::string_view key) {
    std::lock_guard lock(mutex_);
    auto found = index_.find(key);
    if (found == index_.end()) return false;
    remove(found->second);
    ++counters_.invalidations;
    return true;
}

std::size_t MemoryShard::erase_tag(std::string_view tag) {
    std::lock_guard lock(mutex_);
    auto found = tags_.find(tag);
    if (found == tags_.end()) return 0;
    // remove() edits this set (and drops it when empty), so work from a copy of the keys.
    const std::vector<std::string> keys(found->second.begin(), found->second.end());
    for (const std::string& key : keys) remove(index_.find(key)->second);
    counters_.invalidations += keys.size();
    return keys.size();
}

std::size_t MemoryShard::erase_matching(std::string_view glob) {
    std::lock_guard lock(mutex_);
    std::size_t dropped = 0;
    for (auto entry = lru_.begin(); entry != lru_.end();) {
        auto next = std::next(entry);
        if (glob_match(glob, entry->key)) {
            remove(entry);
            ++dropped;
        }
        entry = next;
    }
    counters_.invalidations += dropped;
    return dropped;
}

void MemoryShard::evict_over(std::size_t budget) {
    std::lock_guard lock(mutex_);
    evict_locked(budget, 0);
}

void MemoryShard::add_stats(LayerStats& stats) const {
    std::lock_guard lock(mutex_);
    stats.hits += counters_.hits;
    stats.misses += counters_.misses;
    stats.sets += counters_.sets;
    stats.evictions += counters_.evictions;
    stats.expirations += counters_.expirations;
    stats.invalidations += counters_.invalidations;
    stats.entries += lru_.size();
    stats.bytes += counters_.bytes;
    stats.value_bytes += counters_.value_bytes;
    stats.stored_value_bytes += counters_.stored_value_bytes;
}

void MemoryShard::remove(Lru::iterator entry) {
    for (const std::string& tag : entry->tags) {
        auto keys = tags_.find(tag);
        keys->second.erase(entry->key);
        if (keys->second.empty()) tags_.erase(keys);
    }
    if (entry->expiry != expiry_.end()) expiry_.erase(entry->expiry);
    index_.erase(entry->key);
    counters_.bytes -= entry->cost;
    counters_.value_bytes -= entry->value.raw_size;
    counters_.stored_value_bytes -= entry->value.bytes->size();
    total_bytes_.fetch_sub(entry->cost);
    lru_.erase(entry);
}

void MemoryShard::sweep_expired(TimePoint now) {
    while (!expiry_.empty() && expiry_.begin()->first <= now) {
        remove(index_.find(expiry_.begin()->second)->second);
        ++counters_.expirations;
    }
}

// Keeps the `keep` most recently used entries even when the budget is still exceeded.
void MemoryShard::evict_locked(std::size_t budget, std::size_t keep) {
    while (total_bytes_.load() > budget && lru_.size() > keep) {
        remove(std::prev(lru_.end()));
        ++counters_.evictions;
    }
}

}  // namespace vidgen::cache::detail
