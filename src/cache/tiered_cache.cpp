#include "cache/tiered_cache.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <random>

#include "cache/detail/redis_subscriber.hpp"
#include "core/hash.hpp"

namespace vidgen::cache {
namespace {

// On the channel: "<node id> <kind><target>", kind being k (key), t (tag) or p (pattern).
std::string encode_message(const std::string& node, const Invalidation& invalidation) {
    constexpr char kKinds[] = {'k', 't', 'p'};
    return fmt::format("{} {}{}", node, kKinds[static_cast<int>(invalidation.kind)], invalidation.target);
}

struct Message {
    std::string_view node;
    Invalidation invalidation;
};

std::optional<Message> decode_message(std::string_view text) {
    const auto space = text.find(' ');
    if (space == std::string_view::npos || space + 1 >= text.size()) return std::nullopt;
    Message message{text.substr(0, space), {}};
    switch (text[space + 1]) {
        case 'k':
            message.invalidation.kind = Invalidation::Kind::key;
            break;
        case 't':
            message.invalidation.kind = Invalidation::Kind::tag;
            break;
        case 'p':
            message.invalidation.kind = Invalidation::Kind::pattern;
            break;
        default:
            return std::nullopt;
    }
    message.invalidation.target = std::string(text.substr(space + 2));
    return message;
}

// Applies `invalidation` to Redis and publishes `message` about it; the first error, if any.
std::optional<Error> resend(RedisCache& redis, const Invalidation& invalidation, const std::string& channel,
                            const std::string& message) {
    std::optional<Error> error;
    auto ok = [&](const auto& result) {
        if (!result) error = result.error();
        return result.has_value();
    };
    const std::string& target = invalidation.target;
    bool applied = invalidation.kind == Invalidation::Kind::key   ? ok(redis.erase(target))
                   : invalidation.kind == Invalidation::Kind::tag ? ok(redis.invalidate_tag(target))
                                                                  : ok(redis.clear_pattern(target));
    if (applied) ok(redis.publish(channel, message));
    return error;
}

std::string random_node_id() {
    std::random_device device;
    const std::uint64_t high = device();
    return fmt::format("{:016x}", (high << 32) | device());
}

}  // namespace

TieredCache::TieredCache(std::unique_ptr<MemoryCache> memory, std::unique_ptr<RedisCache> redis,
                         TieredCacheOptions options)
    : memory_(std::move(memory)),
      redis_(std::move(redis)),
      options_(std::move(options)),
      node_id_(random_node_id()) {
    if (options_.metrics != nullptr) {
        errors_ = &options_.metrics
                       ->counter("vidgen_cache_redis_errors_total",
                                 "Redis calls of the tiered cache that failed (served from memory instead)")
                       .with(LabelValues{});
        degraded_gauge_ =
            &options_.metrics
                 ->gauge("vidgen_cache_redis_degraded", "1 while the cache serves from memory alone")
                 .with(LabelValues{});
    }
    subscriber_ = std::make_unique<detail::RedisSubscriber>(
        *redis_, detail::SubscriberTopic{options_.channel},
        detail::SubscriberEvents{.message = [this](std::string_view text) { on_message(text); },
                                 .subscribed = [this] { on_subscribed(); },
                                 .lost = [this](const Error& error) { on_redis_error(error); },
                                 .recheck_requested = [this] { return degraded_.load(); }});
}

TieredCache::~TieredCache() = default;

std::atomic<std::uint64_t>& TieredCache::key_epoch(std::string_view key) {
    return key_epochs_[fast_hash(key) % kEpochStripes];
}

TieredCache::Epochs TieredCache::epochs_of(std::string_view key) {
    return {key_epoch(key).load(), broad_epoch_.load()};
}

template <typename Change>
auto TieredCache::change_memory(std::optional<std::string_view> key, Change&& change) {
    std::unique_lock lock(fill_mutex_);
    ++(key ? key_epoch(*key) : broad_epoch_);
    return change(*memory_);
}

Result<std::optional<std::string>> TieredCache::get(std::string_view key) {
    if (auto hit = memory_->get(key); hit && *hit) return hit;
    const Epochs seen = epochs_of(key);
    auto entry = redis_->get_entry(key);
    if (!entry) {
        on_redis_error(entry.error());
        return std::nullopt;
    }
    if (!*entry) return std::nullopt;
    fill_memory(key, **entry, seen);
    return std::optional<std::string>(std::move((*entry)->value));
}

void TieredCache::fill_memory(std::string_view key, const RedisEntry& entry, Epochs seen) {
    std::shared_lock lock(fill_mutex_);
    if (epochs_of(key) != seen) return;  // changed meanwhile: the entry read may be stale already
    const auto ttl = entry.ttl.count() > 0 ? entry.ttl : options_.fill_ttl;
    (void)memory_->set(key, entry.value, {.ttl = ttl, .tags = entry.tags});
}

Result<void> TieredCache::do_set(std::string_view key, std::string_view value, const WriteOptions& options) {
    auto remote = redis_->set(key, value, options);
    if (!remote && remote.error().code == Code::invalid_argument) return remote;
    auto local = change_memory(key, [&](MemoryCache& memory) { return memory.set(key, value, options); });
    if (!remote) {
        on_redis_error(remote.error());
        remember_missed({Invalidation::Kind::key, std::string(key)});
        return local;
    }
    publish({Invalidation::Kind::key, std::string(key)});
    return {};
}

Result<bool> TieredCache::do_erase(std::string_view key) {
    auto remote = redis_->erase(key);
    auto local = change_memory(key, [&](MemoryCache& memory) { return memory.erase(key); });
    if (!remote) {
        on_redis_error(remote.error());
        remember_missed({Invalidation::Kind::key, std::string(key)});
        return local;
    }
    publish({Invalidation::Kind::key, std::string(key)});
    return *remote || (local && *local);
}

Result<std::size_t> TieredCache::do_invalidate_tag(std::string_view tag) {
    auto remote = redis_->invalidate_tag(tag);
    auto local = change_memory(std::nullopt, [&](MemoryCache& memory) { return memory.invalidate_tag(tag); });
    if (!remote) {
        on_redis_error(remote.error());
        remember_missed({Invalidation::Kind::tag, std::string(tag)});
        return local;
    }
    publish({Invalidation::Kind::tag, std::string(tag)});
    return remote;
}

Result<std::size_t> TieredCache::do_clear_pattern(std::string_view glob) {
    auto remote = redis_->clear_pattern(glob);
    auto local = change_memory(std::nullopt, [&](MemoryCache& memory) { return memory.clear_pattern(glob); });
    if (!remote) {
        on_redis_error(remote.error());
        remember_missed({Invalidation::Kind::pattern, std::string(glob)});
        return local;
    }
    publish({Invalidation::Kind::pattern, std::string(glob)});
    return remote;
}

void TieredCache::publish(const Invalidation& invalidation) {
    auto sent = redis_->publish(options_.channel, encode_message(node_id_, invalidation));
    if (sent) return;
    on_redis_error(sent.error());
    remember_missed(invalidation);
}

void TieredCache::remember_missed(Invalidation invalidation) {
    std::lock_guard lock(missed_mutex_);
    const Invalidation everything{Invalidation::Kind::pattern, "*"};
    if (missed_.size() == 1 && missed_.front() == everything) return;
    if (missed_.size() >= kMaxMissed) {
        missed_ = {everything};
        return;
    }
    missed_.push_back(std::move(invalidation));
}

bool TieredCache::replay_missed() {
    std::vector<Invalidation> missed;
    {
        std::lock_guard lock(missed_mutex_);
        missed.swap(missed_);
    }
    for (std::size_t i = 0; i < missed.size(); ++i) {
        auto error = resend(*redis_, missed[i], options_.channel, encode_message(node_id_, missed[i]));
        if (!error) continue;
        on_redis_error(*error);
        std::lock_guard lock(missed_mutex_);
        missed_.insert(missed_.begin(), missed.begin() + static_cast<std::ptrdiff_t>(i), missed.end());
        return false;
    }
    return true;
}

void TieredCache::on_message(std::string_view text) {
    auto message = decode_message(text);
    if (!message || message->node == node_id_) return;
    const Invalidation& invalidation = message->invalidation;
    std::optional<std::string_view> key;
    if (invalidation.kind == Invalidation::Kind::key) key = invalidation.target;
    (void)change_memory(key, [&](MemoryCache& memory) { return memory.apply_remote(invalidation); });
}

void TieredCache::on_subscribed() {
    if (!ever_subscribed_.exchange(true) && !degraded_.load()) return;
    (void)change_memory(std::nullopt, [](MemoryCache& memory) { return memory.clear_pattern("*"); });
    if (!replay_missed()) return;  // still degraded: the subscriber tries again
    if (degraded_.exchange(false)) {
        spdlog::info("cache: Redis is back; the memory layer was cleared and invalidations resume");
    }
    if (degraded_gauge_ != nullptr) degraded_gauge_->set(0);
}

void TieredCache::on_redis_error(const Error& error) {
    if (errors_ != nullptr) errors_->add();
    if (degraded_.exchange(true)) return;
    if (degraded_gauge_ != nullptr) degraded_gauge_->set(1);
    spdlog::warn("cache: Redis unavailable ({}); serving from memory only until it is back", error.message);
}

CacheStats TieredCache::stats() const {
    return CacheStats{{memory_->layer_stats(), redis_->layer_stats()}};
}

LatencyPercentiles TieredCache::redis_latency() const {
    return redis_->latency();
}

}  // namespace vidgen::cache
