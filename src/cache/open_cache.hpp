// open_cache: the Cache a `--cache` setting names. Empty: a MemoryCache; redis://host:port[/db]: a
// TieredCache of a MemoryCache in front of that Redis (which need not be up yet: the cache starts
// degraded and recovers by itself). The caller owns the result. Thread-safe.
#pragma once

#include <memory>
#include <string_view>

#include "cache/memory_cache.hpp"
#include "core/metrics.hpp"

namespace vidgen::cache {

// `metrics` may be null; the tiered cache reports Redis errors and its degraded state there otherwise.
Result<std::unique_ptr<Cache>> open_cache(std::string_view redis_url, MemoryCacheOptions memory = {},
                                          MetricsRegistry* metrics = nullptr);

}  // namespace vidgen::cache
