// RecordCache: where a store keeps records that are read often and change rarely (template versions,
// assets, tenants), so that repeated reads skip the database. cache/ implements it over a Cache (memory,
// or memory → Redis, whose invalidations reach every node); the store drops a record's entries by tag
// whenever it changes the record. Implementations are thread-safe, and a failing cache is a miss: a
// cache error never becomes a store error.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace vidgen {

class RecordCache {
  public:
    virtual ~RecordCache() = default;
    virtual std::optional<std::string> get(const std::string& key) = 0;
    virtual void put(const std::string& key, const std::string& value, std::vector<std::string> tags) = 0;
    virtual void invalidate(const std::string& tag) = 0;
};

}  // namespace vidgen
