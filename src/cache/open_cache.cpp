#include "cache/open_cache.hpp"

#include "cache/tiered_cache.hpp"

namespace vidgen::cache {

Result<std::unique_ptr<Cache>> open_cache(std::string_view redis_url, MemoryCacheOptions memory,
                                          MetricsRegistry* metrics) {
    auto local = std::make_unique<MemoryCache>(std::move(memory));
    if (redis_url.empty()) return local;
    auto redis = RedisCache::open(redis_url);
    if (!redis) return std::unexpected(redis.error());
    return std::make_unique<TieredCache>(std::move(local), std::move(*redis),
                                         TieredCacheOptions{.metrics = metrics});
}

}  // namespace vidgen::cache
