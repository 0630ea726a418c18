#include <gtest/gtest.h>

#include <random>
#include <string>
#include <thread>

#include "cache/memory_cache.hpp"
#include "manual_clock.hpp"

namespace vidgen::cache {
namespace {

using std::chrono::milliseconds;

std::string value_of(Cache& cache, std::string_view key) {
    auto got = cache.get(key);
    EXPECT_TRUE(got.has_value()) << got.error().to_string();
    return got && *got ? **got : std::string("<miss>");
}

TEST(MemoryCache, HitsMissesAndStatsAreCounted) {
    MemoryCache cache;
    ASSERT_TRUE(cache.set("job:1", "{\"state\":\"queued\"}"));
    EXPECT_EQ(value_of(cache, "job:1"), "{\"state\":\"queued\"}");
    EXPECT_EQ(value_of(cache, "job:2"), "<miss>");
    ASSERT_TRUE(cache.set("job:1", "{\"state\":\"done\"}"));
    EXPECT_EQ(value_of(cache, "job:1"), "{\"state\":\"done\"}");

    const CacheStats stats = cache.stats();
    ASSERT_EQ(stats.layers.size(), 1u);
    const LayerStats& memory = stats.layers[0];
    EXPECT_EQ(memory.layer, "memory");
    EXPECT_EQ(memory.hits, 2u);
    EXPECT_EQ(memory.misses, 1u);
    EXPECT_EQ(memory.sets, 2u);
    EXPECT_EQ(memory.entries, 1u);
    EXPECT_EQ(memory.value_bytes, std::string("{\"state\":\"done\"}").size());
    EXPECT_EQ(memory.bytes, kEntryOverheadBytes + 5 + memory.value_bytes);
    EXPECT_DOUBLE_EQ(memory.hit_ratio(), 2.0 / 3.0);
}

TEST(MemoryCache, OneReadInThirtyTwoIsTimedPerThread) {
    MemoryCache cache;
    ASSERT_TRUE(cache.set("k", "v"));
    EXPECT_EQ(cache.stats().layers.front().latency.samples, 0u);
    std::thread reader([&] {
        for (int i = 0; i < 320; ++i) ASSERT_TRUE(cache.get(i % 2 ? "k" : "missing"));
    });
    reader.join();
    auto latency = cache.stats().layers.front().latency;
    EXPECT_EQ(latency.samples, 10u);
    EXPECT_GT(latency.p99.count(), 0);
    EXPECT_LE(latency.p50, latency.p90);
    EXPECT_LE(latency.p90, latency.p99);
}

TEST(MemoryCache, EraseReportsWhetherTheKeyWasThere) {
    MemoryCache cache;
    ASSERT_TRUE(cache.set("a", "1"));
    EXPECT_EQ(cache.erase("a"), true);
    EXPECT_EQ(cache.erase("a"), false);
    EXPECT_EQ(value_of(cache, "a"), "<miss>");
    EXPECT_EQ(cache.layer_stats().bytes, 0u);
}

TEST(MemoryCache, EntriesExpireWhenTheInjectedClockPassesTheirTtl) {
    ManualClock clock;
    MemoryCache cache({.clock = clock.as_clock()});
    ASSERT_TRUE(cache.set("short", "s", {.ttl = milliseconds(100)}));
    ASSERT_TRUE(cache.set("forever", "f"));
    clock.advance(milliseconds(99));
    EXPECT_EQ(value_of(cache, "short"), "s");
    clock.advance(milliseconds(1));
    EXPECT_EQ(value_of(cache, "short"), "<miss>");
    clock.advance(std::chrono::hours(24 * 365));
    EXPECT_EQ(value_of(cache, "forever"), "f");
    const LayerStats stats = cache.layer_stats();
    EXPECT_EQ(stats.expirations, 1u);
    EXPECT_EQ(stats.entries, 1u);
}

TEST(MemoryCache, WritesSweepExpiredEntriesNobodyReads) {
    ManualClock clock;
    MemoryCache cache({.shards = 1, .clock = clock.as_clock()});
    for (int i = 0; i < 50; ++i)
        ASSERT_TRUE(cache.set("temp:" + std::to_string(i), "x", {.ttl = milliseconds(10)}));
    clock.advance(milliseconds(10));
    ASSERT_TRUE(cache.set("fresh", "y"));
    const LayerStats stats = cache.layer_stats();
    EXPECT_EQ(stats.entries, 1u);
    EXPECT_EQ(stats.expirations, 50u);
    EXPECT_EQ(stats.bytes, kEntryOverheadBytes + 5 + 1);
}

TEST(MemoryCache, SetReplacesTheTtlOfAnEarlierValue) {
    ManualClock clock;
    MemoryCache cache({.clock = clock.as_clock()});
    ASSERT_TRUE(cache.set("k", "old", {.ttl = milliseconds(10)}));
    ASSERT_TRUE(cache.set("k", "new"));
    clock.advance(milliseconds(20));
    EXPECT_EQ(value_of(cache, "k"), "new");
}

TEST(MemoryCache, AnEmptyClockFallsBackToTheSteadyClock) {
    MemoryCache cache({.clock = {}});
    ASSERT_TRUE(cache.set("k", "v", {.ttl = std::chrono::hours(1)}));
    EXPECT_EQ(value_of(cache, "k"), "v");
}

TEST(MemoryCache, NegativeTtlIsRefused) {
    MemoryCache cache;
    auto done = cache.set("k", "v", {.ttl = milliseconds(-1)});
    ASSERT_FALSE(done);
    EXPECT_EQ(done.error().code, Code::invalid_argument);
}

TEST(MemoryCache, LeastRecentlyUsedIsEvictedFirstUnderTheByteBudget) {
    const std::string value(100, 'v');
    const std::size_t cost = kEntryOverheadBytes + 2 + value.size();  // keys are two characters
    MemoryCache cache({.max_bytes = 3 * cost, .shards = 1});
    ASSERT_TRUE(cache.set("k1", value));
    ASSERT_TRUE(cache.set("k2", value));
    ASSERT_TRUE(cache.set("k3", value));
    EXPECT_EQ(value_of(cache, "k1"), value);  // k1 is now the most recently used; k2 the least
    ASSERT_TRUE(cache.set("k4", value));
    EXPECT_EQ(value_of(cache, "k2"), "<miss>");
    EXPECT_EQ(value_of(cache, "k1"), value);
    EXPECT_EQ(value_of(cache, "k3"), value);
    EXPECT_EQ(value_of(cache, "k4"), value);
    const LayerStats stats = cache.layer_stats();
    EXPECT_EQ(stats.evictions, 1u);
    EXPECT_EQ(stats.bytes, 3 * cost);
    EXPECT_EQ(stats.capacity_bytes, 3 * cost);
}

TEST(MemoryCache, BudgetHoldsAcrossAllShards) {
    const std::size_t budget = 64 * 1024;
    MemoryCache cache({.max_bytes = budget, .shards = 16});
    const std::string value(200, 'v');
    for (int i = 0; i < 2000; ++i) {
        ASSERT_TRUE(cache.set("key:" + std::to_string(i), value));
        ASSERT_LE(cache.layer_stats().bytes, budget);
    }
    const LayerStats stats = cache.layer_stats();
    EXPECT_GT(stats.evictions, 0u);
    EXPECT_EQ(stats.entries + stats.evictions, 2000u);
    EXPECT_EQ(value_of(cache, "key:1999"), value);  // the newest entry always survives its own write
}

TEST(MemoryCache, AnEntryLargerThanTheWholeBudgetIsRefusedAndDropsTheOldValue) {
    MemoryCache cache({.max_bytes = 1024, .compress_above = 1 << 20});
    ASSERT_TRUE(cache.set("big", "small enough"));
    auto done = cache.set("big", std::string(4096, 'x'));
    ASSERT_FALSE(done);
    EXPECT_EQ(done.error().code, Code::limit_exceeded);
    EXPECT_EQ(value_of(cache, "big"), "<miss>");
}

TEST(MemoryCache, InvalidateTagDropsItsEntriesInEveryShard) {
    MemoryCache cache({.shards = 16});
    for (int i = 0; i < 100; ++i) {
        const std::string tag = i % 2 == 0 ? "video" : "template";
        ASSERT_TRUE(cache.set("entry:" + std::to_string(i), "v", {.tags = {tag, "tenant:1"}}));
    }
    EXPECT_EQ(cache.invalidate_tag("video"), 50u);
    EXPECT_EQ(cache.invalidate_tag("video"), 0u);
    for (int i = 0; i < 100; ++i) {
        EXPECT_EQ(value_of(cache, "entry:" + std::to_string(i)), i % 2 == 0 ? "<miss>" : "v") << i;
    }
    EXPECT_EQ(cache.invalidate_tag("tenant:1"), 50u);
    EXPECT_EQ(cache.layer_stats().entries, 0u);
    EXPECT_EQ(cache.layer_stats().bytes, 0u);
}

TEST(MemoryCache, RewritingAKeyReplacesItsTags) {
    MemoryCache cache;
    ASSERT_TRUE(cache.set("k", "1", {.tags = {"old"}}));
    ASSERT_TRUE(cache.set("k", "2", {.tags = {"new"}}));
    EXPECT_EQ(cache.invalidate_tag("old"), 0u);
    EXPECT_EQ(value_of(cache, "k"), "2");
    EXPECT_EQ(cache.invalidate_tag("new"), 1u);
}

TEST(MemoryCache, ClearPatternDropsOnlyMatchingKeys) {
    MemoryCache cache;
    for (int i = 0; i < 30; ++i) {
        ASSERT_TRUE(cache.set("temp:" + std::to_string(i), "t"));
        ASSERT_TRUE(cache.set("job:" + std::to_string(i), "j"));
    }
    EXPECT_EQ(cache.clear_pattern("temp:*"), 30u);
    EXPECT_EQ(cache.clear_pattern("job:?"), 10u);
    EXPECT_EQ(value_of(cache, "temp:3"), "<miss>");
    EXPECT_EQ(value_of(cache, "job:3"), "<miss>");
    EXPECT_EQ(value_of(cache, "job:13"), "j");
    EXPECT_EQ(cache.clear_pattern("*"), 20u);
    EXPECT_EQ(cache.layer_stats().entries, 0u);
}

TEST(MemoryCache, LargeValuesAreStoredCompressedAndReadBackWhole) {
    std::mt19937 random(7);
    std::string value;
    const std::string words[] = {"frame ", "keyframe ", "opacity ", "{\"time\":", "0.25,", "\"value\":1}"};
    while (value.size() < 100 * 1024) value += words[random() % 6];
    value.resize(100 * 1024);

    MemoryCache cache({.compression_level = 3});
    ASSERT_TRUE(cache.set("preview", value));
    ASSERT_TRUE(cache.set("tiny", "under the threshold"));
    EXPECT_EQ(value_of(cache, "preview"), value);

    const LayerStats stats = cache.layer_stats();
    EXPECT_EQ(stats.value_bytes, value.size() + 19);
    EXPECT_LT(stats.stored_value_bytes, value.size() / 2);
    EXPECT_LT(stats.bytes, value.size() / 2);
}

TEST(MemoryCache, IncompressibleValuesAreStoredAsTheyAre) {
    std::mt19937 random(11);
    std::string noise(8 * 1024, '\0');
    for (char& c : noise) c = static_cast<char>(random());
    MemoryCache cache;
    ASSERT_TRUE(cache.set("noise", noise));
    EXPECT_EQ(value_of(cache, "noise"), noise);
    EXPECT_EQ(cache.layer_stats().stored_value_bytes, noise.size());
}

}  // namespace
}  // namespace vidgen::cache
