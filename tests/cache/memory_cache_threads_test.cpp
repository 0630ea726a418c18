#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "cache/memory_cache.hpp"

namespace vidgen::cache {
namespace {

constexpr int kThreads = 8;
constexpr int kOperationsPerThread = 50'000;
constexpr int kKeys = 64;

std::string key_name(int key) {
    return "job:" + std::to_string(key);
}

// "<key>|<writer>|<padding length>|<padding>": a reader can check the whole value belongs to its key.
// Every fourth key carries a long padding so compression runs under contention too.
std::string value_for(int key, int writer, std::mt19937& random) {
    const std::size_t padding = key % 4 == 0 ? 1500 + random() % 3000 : random() % 200;
    return key_name(key) + "|" + std::to_string(writer) + "|" + std::to_string(padding) + "|" +
           std::string(padding, static_cast<char>('a' + key % 26));
}

bool belongs_to(const std::string& value, int key) {
    const std::string prefix = key_name(key) + "|";
    if (value.rfind(prefix, 0) != 0) return false;
    const std::size_t writer_end = value.find('|', prefix.size());
    const std::size_t padding_end = value.find('|', writer_end + 1);
    if (writer_end == std::string::npos || padding_end == std::string::npos) return false;
    const std::size_t padding = std::stoul(value.substr(writer_end + 1, padding_end - writer_end - 1));
    const std::string_view body = std::string_view(value).substr(padding_end + 1);
    return body.size() == padding && body.find_first_not_of(static_cast<char>('a' + key % 26)) == body.npos;
}

struct Tally {
    std::atomic<std::uint64_t> gets{0}, sets{0}, announced{0}, torn{0}, errors{0};
};

void hammer(MemoryCache& cache, int writer, Tally& tally) {
    std::mt19937 random(writer + 1);
    for (int i = 0; i < kOperationsPerThread; ++i) {
        const int key = static_cast<int>(random() % kKeys);
        const unsigned choice = random() % 100;
        if (choice < 60) {
            auto got = cache.get(key_name(key));
            ++tally.gets;
            if (!got)
                ++tally.errors;
            else if (*got && !belongs_to(**got, key))
                ++tally.torn;
        } else if (choice < 85) {
            const std::string tag = "tenant:" + std::to_string(key % 5);
            if (cache.set(key_name(key), value_for(key, writer, random), {.tags = {tag}}))
                ++tally.sets;
            else
                ++tally.errors;
        } else if (choice < 95) {
            if (!cache.erase(key_name(key))) ++tally.errors;
        } else if (choice < 99) {
            if (!cache.invalidate_tag("tenant:" + std::to_string(key % 5))) ++tally.errors;
        } else if (!cache.clear_pattern("job:" + std::to_string(key % 10) + "*")) {
            ++tally.errors;
        }
    }
}

TEST(MemoryCacheThreads, EightThreadsNeverSeeTornValuesAndTheBooksBalance) {
    const std::size_t budget = 8 * 1024;  // well under the 64 keys' total, so evictions happen
    MemoryCache cache({.max_bytes = budget, .shards = 16});
    Tally tally;
    cache.add_invalidation_listener([&](const Invalidation&) { ++tally.announced; });
    std::vector<std::thread> threads;
    for (int writer = 0; writer < kThreads; ++writer) {
        threads.emplace_back([&, writer] { hammer(cache, writer, tally); });
    }
    for (std::thread& thread : threads) thread.join();

    EXPECT_EQ(tally.torn.load(), 0u);
    EXPECT_EQ(tally.errors.load(), 0u);
    EXPECT_EQ(tally.announced.load(), std::uint64_t{kThreads} * kOperationsPerThread - tally.gets.load());
    LayerStats stats = cache.layer_stats();
    EXPECT_EQ(stats.hits + stats.misses, tally.gets.load());
    EXPECT_EQ(stats.sets, tally.sets.load());
    EXPECT_LE(stats.bytes, budget);
    EXPECT_GT(stats.evictions, 0u);

    std::uint64_t present = 0;
    for (int key = 0; key < kKeys; ++key) {
        auto got = cache.get(key_name(key));
        ASSERT_TRUE(got);
        if (*got) {
            ++present;
            EXPECT_TRUE(belongs_to(**got, key)) << key;
        }
    }
    EXPECT_EQ(cache.layer_stats().entries, present);
    cache.clear_pattern("*");
    stats = cache.layer_stats();
    EXPECT_EQ(stats.entries, 0u);
    EXPECT_EQ(stats.bytes, 0u);
    EXPECT_EQ(stats.value_bytes, 0u);
    EXPECT_EQ(stats.stored_value_bytes, 0u);
}

}  // namespace
}  // namespace vidgen::cache
