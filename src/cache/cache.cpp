#include "cache/cache.hpp"

#include <algorithm>

namespace vidgen::cache {

double LayerStats::hit_ratio() const {
    const std::uint64_t reads = hits + misses;
    return reads == 0 ? 0.0 : static_cast<double>(hits) / static_cast<double>(reads);
}

Result<void> Cache::set(std::string_view key, std::string_view value, const WriteOptions& options) {
    auto done = do_set(key, value, options);
    if (done) notify({Invalidation::Kind::key, std::string(key)});
    return done;
}

Result<bool> Cache::erase(std::string_view key) {
    auto done = do_erase(key);
    if (done) notify({Invalidation::Kind::key, std::string(key)});
    return done;
}

Result<std::size_t> Cache::invalidate_tag(std::string_view tag) {
    auto done = do_invalidate_tag(tag);
    if (done) notify({Invalidation::Kind::tag, std::string(tag)});
    return done;
}

Result<std::size_t> Cache::clear_pattern(std::string_view glob) {
    auto done = do_clear_pattern(glob);
    if (done) notify({Invalidation::Kind::pattern, std::string(glob)});
    return done;
}

Result<std::size_t> Cache::apply_remote(const Invalidation& invalidation) {
    switch (invalidation.kind) {
        case Invalidation::Kind::key: {
            auto erased = do_erase(invalidation.target);
            if (!erased) return std::unexpected(erased.error());
            return *erased ? 1 : 0;
        }
        case Invalidation::Kind::tag:
            return do_invalidate_tag(invalidation.target);
        case Invalidation::Kind::pattern:
            return do_clear_pattern(invalidation.target);
    }
    return fail(Code::invalid_argument, "unknown invalidation kind");
}

ListenerId Cache::add_invalidation_listener(InvalidationListener listener) {
    std::lock_guard lock(listeners_mutex_);
    const ListenerId id = next_listener_id_++;
    listeners_.emplace_back(id, std::make_shared<const InvalidationListener>(std::move(listener)));
    return id;
}

void Cache::remove_invalidation_listener(ListenerId id) {
    std::lock_guard lock(listeners_mutex_);
    std::erase_if(listeners_, [id](const auto& entry) { return entry.first == id; });
}

void Cache::notify(const Invalidation& invalidation) const {
    std::vector<std::shared_ptr<const InvalidationListener>> snapshot;
    {
        std::lock_guard lock(listeners_mutex_);
        if (listeners_.empty()) return;
        snapshot.reserve(listeners_.size());
        for (const auto& entry : listeners_) snapshot.push_back(entry.second);
    }
    for (const auto& listener : snapshot) (*listener)(invalidation);
}

}  // namespace vidgen::cache
