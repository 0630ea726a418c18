#include "cache/record_cache.hpp"

namespace vidgen::cache {
namespace {

constexpr std::string_view kPrefix = "record:";

std::string prefixed(const std::string& name) {
    return std::string(kPrefix) + name;
}

class CacheRecords final : public RecordCache {
  public:
    CacheRecords(Cache& cache, std::chrono::milliseconds ttl) : cache_(cache), ttl_(ttl) {}

    std::optional<std::string> get(const std::string& key) override {
        auto value = cache_.get(prefixed(key));
        if (!value) return std::nullopt;
        return std::move(*value);  // a miss stays nullopt
    }

    void put(const std::string& key, const std::string& value, std::vector<std::string> tags) override {
        for (auto& tag : tags) tag = prefixed(tag);
        (void)cache_.set(prefixed(key), value, {.ttl = ttl_, .tags = std::move(tags)});
    }

    void invalidate(const std::string& tag) override { (void)cache_.invalidate_tag(prefixed(tag)); }

  private:
    Cache& cache_;
    std::chrono::milliseconds ttl_;
};

}  // namespace

std::unique_ptr<RecordCache> make_record_cache(Cache& cache, std::chrono::milliseconds ttl) {
    return std::make_unique<CacheRecords>(cache, ttl);
}

}  // namespace vidgen::cache
