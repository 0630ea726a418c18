// The store's record cache (core/record_cache.hpp) on top of a Cache: keys and tags get the prefix
// "record:" (so /admin/cache/clear can drop them by pattern), entries live for `ttl`. Thread-safe; the
// Cache must outlive it.
#pragma once

#include <chrono>
#include <memory>

#include "cache/cache.hpp"
#include "core/record_cache.hpp"

namespace vidgen::cache {

std::unique_ptr<RecordCache> make_record_cache(Cache& cache, std::chrono::milliseconds ttl);

}  // namespace vidgen::cache
