// The records the store keeps in a RecordCache, as bytes and back: each field in order, strings as their
// length and bytes, numbers as decimal text. decode() refuses anything it did not encode. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/record_cache.hpp"
#include "store/records.hpp"

namespace vidgen::store::detail {

std::string encode(const Tenant& tenant);
std::string encode(const Template& tmpl);
std::string encode(const Asset& asset);
bool decode(std::string_view bytes, Tenant& tenant);
bool decode(std::string_view bytes, Template& tmpl);
bool decode(std::string_view bytes, Asset& asset);

// `load()` unless `cache` holds `key`; a loaded record is kept under `key` with `tags`. No cache: load().
template <typename T, typename Load>
Result<T> through_cache(RecordCache* cache, const std::string& key, std::vector<std::string> tags,
                        Load&& load) {
    if (cache) {
        if (auto bytes = cache->get(key)) {
            T record;
            if (decode(*bytes, record)) return record;
        }
    }
    Result<T> loaded = load();
    if (cache && loaded) cache->put(key, encode(*loaded), std::move(tags));
    return loaded;
}

}  // namespace vidgen::store::detail
