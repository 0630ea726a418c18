// Cached reads for bench/cluster, one caller at a time, each read timed on its own:
//   memory: a cache::TieredCache hit in its memory layer (the API's response cache on a cluster node);
//   redis: cache::RedisCache::get, one GET (compare with redis-benchmark's GET on the same server);
//   redis-entry: RedisCache::get_entry, the read TieredCache makes when its memory layer misses (GET, PTTL
//   and SMEMBERS of the tags, pipelined in one round trip);
//   source: store::Store::get_job on PostgreSQL, the read behind GET /api/v1/jobs/{id}.
// Every value is VALUE_BYTES long (below the 1 KiB compression threshold unless asked otherwise).
// Usage: cluster_cache_bench REDIS_URL POSTGRES_URL VALUE_BYTES READS
// Prints one line per layer: read LAYER READS P50_US P99_US
#include <fmt/format.h>

#include <unistd.h>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>

#include "cache/memory_cache.hpp"
#include "cache/redis_cache.hpp"
#include "cache/tiered_cache.hpp"
#include "cluster_stats.hpp"
#include "store/store.hpp"

namespace vidgen::bench {
namespace {

template <typename T>
T must(Result<T> result, std::string_view what) {
    if (!result) {
        fmt::print(stderr, "cluster_cache_bench: {}: {}\n", what, result.error().to_string());
        std::exit(1);
    }
    return std::move(*result);
}

void must(const Result<void>& result, std::string_view what) {
    if (!result) {
        fmt::print(stderr, "cluster_cache_bench: {}: {}\n", what, result.error().to_string());
        std::exit(1);
    }
}

// Times `reads` calls of `read` after a tenth as many unmeasured ones; a call that returns false fails
// the run (a miss where a hit was expected).
void measure(std::string_view layer, long reads, const std::function<bool()>& read) {
    for (long i = 0; i < reads / 10; ++i) read();
    Samples samples;
    for (long i = 0; i < reads; ++i) {
        auto start = Steady::now();
        bool hit = read();
        samples.add(Steady::now() - start);
        if (!hit) {
            fmt::print(stderr, "cluster_cache_bench: {}: read {} missed\n", layer, i);
            std::exit(1);
        }
    }
    fmt::print("read {} {} {:.2f} {:.2f}\n", layer, reads, samples.percentile(50), samples.percentile(99));
}

std::string value_of(std::size_t bytes) {
    std::string value(bytes, ' ');
    for (std::size_t i = 0; i < bytes; ++i) value[i] = static_cast<char>('a' + (i * 7 + i / 26) % 26);
    return value;
}

store::Job source_job(store::Store& store, std::size_t bytes) {
    auto tenant =
        must(store.create_tenant({.id = "", .name = fmt::format("cache-bench-{}", getpid()), .created = 1}),
             "tenant");
    store::Job job;
    job.tenant_id = tenant.id;
    job.spec_json = value_of(bytes);
    job.data_json = "{}";
    job.created = 1;
    return must(store.insert_job(std::move(job)), "job").job;
}

}  // namespace
}  // namespace vidgen::bench

int main(int argc, char** argv) {
    using namespace vidgen;
    using namespace vidgen::bench;
    if (argc != 5) {
        fmt::print(stderr, "usage: cluster_cache_bench REDIS_URL POSTGRES_URL VALUE_BYTES READS\n");
        return 2;
    }
    const std::string value = value_of(std::strtoul(argv[3], nullptr, 10));
    const long reads = std::atol(argv[4]);
    cache::RedisCacheOptions options{.prefix = fmt::format("bench{}:", getpid())};
    auto tiered = std::make_unique<cache::TieredCache>(
        std::make_unique<cache::MemoryCache>(), must(cache::RedisCache::open(argv[1], options), "redis"));
    must(tiered->set("job", value, {.ttl = std::chrono::minutes(5), .tags = {"job:1"}}), "set");
    measure("memory", reads, [&] { return tiered->get("job").value_or(std::nullopt).has_value(); });
    auto redis = must(cache::RedisCache::open(argv[1], options), "redis");
    measure("redis", reads / 5, [&] { return redis->get("job").value_or(std::nullopt).has_value(); });
    measure("redis-entry", reads / 5,
            [&] { return redis->get_entry("job").value_or(std::nullopt).has_value(); });
    auto store = must(store::open_store(argv[2]), "postgres");
    const auto job = source_job(*store, value.size());
    measure("source", reads / 20, [&] { return store->get_job(job.tenant_id, job.id).has_value(); });
    return 0;
}
