#include "api/metrics_route.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/log.hpp"

namespace vidgen::api {
namespace {

// Jobs by status summed over every tenant: one count query per tenant.
void collect_jobs(Context& context, Family<Gauge>& jobs) {
    auto tenants = context.store->list_tenants();
    if (!tenants) {
        spdlog::warn("metrics: cannot list tenants: {}", tenants.error().to_string());
        return;
    }
    store::StatusCounts total;
    for (const auto& tenant : *tenants) {
        auto counts = context.store->count_jobs(tenant.id);
        if (!counts) {
            spdlog::warn("metrics: cannot count jobs: {}", counts.error().to_string());
            return;
        }
        total.queued += counts->queued;
        total.rendering += counts->rendering;
        total.done += counts->done;
        total.failed += counts->failed;
        total.canceled += counts->canceled;
    }
    jobs.with({"queued"}).set(static_cast<double>(total.queued));
    jobs.with({"rendering"}).set(static_cast<double>(total.rendering));
    jobs.with({"done"}).set(static_cast<double>(total.done));
    jobs.with({"failed"}).set(static_cast<double>(total.failed));
    jobs.with({"canceled"}).set(static_cast<double>(total.canceled));
}

// The cache reports cumulative totals; the counters are advanced by what is new since the last scrape.
class CacheCollector {
  public:
    CacheCollector(cache::Cache& cache, MetricsRegistry& registry)
        : cache_(cache),
          hits_(registry.counter("vidgen_cache_hits_total", "Cache reads that found a value.", {"layer"})),
          misses_(
              registry.counter("vidgen_cache_misses_total", "Cache reads that found nothing.", {"layer"})),
          evictions_(registry.counter("vidgen_cache_evictions_total",
                                      "Cache entries dropped to stay within the byte budget.", {"layer"})),
          bytes_(registry.gauge("vidgen_cache_bytes", "Bytes the cache holds.", {"layer"})),
          entries_(registry.gauge("vidgen_cache_entries", "Entries the cache holds.", {"layer"})) {}

    void collect() {
        std::lock_guard lock(mutex_);
        for (const auto& layer : cache_.stats().layers) {
            Seen& seen = seen_[layer.layer];
            advance(hits_.with({layer.layer}), seen.hits, layer.hits);
            advance(misses_.with({layer.layer}), seen.misses, layer.misses);
            advance(evictions_.with({layer.layer}), seen.evictions, layer.evictions);
            bytes_.with({layer.layer}).set(static_cast<double>(layer.bytes));
            entries_.with({layer.layer}).set(static_cast<double>(layer.entries));
        }
    }

  private:
    struct Seen {
        std::uint64_t hits = 0, misses = 0, evictions = 0;
    };
    static void advance(Counter& counter, std::uint64_t& seen, std::uint64_t now) {
        if (now > seen) counter.add(static_cast<double>(now - seen));
        seen = now;
    }

    cache::Cache& cache_;
    Family<Counter>& hits_;
    Family<Counter>& misses_;
    Family<Counter>& evictions_;
    Family<Gauge>& bytes_;
    Family<Gauge>& entries_;
    std::mutex mutex_;
    std::map<std::string, Seen> seen_;
};

}  // namespace

void register_api_collectors(Context& context) {
    MetricsRegistry& registry = *context.metrics;
    auto& jobs = registry.gauge("vidgen_jobs", "Jobs by status, over every tenant.", {"status"});
    registry.add_collector([&context, &jobs] { collect_jobs(context, jobs); });
    if (!context.cache) return;
    auto collector = std::make_shared<CacheCollector>(*context.cache, registry);
    registry.add_collector([collector] { collector->collect(); });
}

http::Response metrics_response(const Context& context) {
    http::Response response =
        http::Response::text(200, context.metrics->render(), "text/plain; version=0.0.4; charset=utf-8");
    return response;
}

}  // namespace vidgen::api
