#include <gtest/gtest.h>

#include <thread>

#include "cache/detail/redis_connection.hpp"
#include "cache/redis_cache.hpp"
#include "support/redis_server.hpp"

namespace vidgen::cache {
namespace {

using namespace std::chrono_literals;

class RedisCacheTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto server = testing::shared_redis();
        ASSERT_TRUE(server) << server.error().to_string();
        prefix_ = (*server)->unique_prefix();
        auto opened = RedisCache::open((*server)->url(), {.prefix = prefix_});
        ASSERT_TRUE(opened) << opened.error().to_string();
        cache_ = std::move(*opened);
    }

    std::optional<std::string> read(std::string_view key) {
        auto value = cache_->get(key);
        EXPECT_TRUE(value) << value.error().to_string();
        return value ? *value : std::nullopt;
    }

    // The size Redis holds under `key` (as RedisCache stores it), read over a connection of the test's own.
    long long stored_size(std::string_view key) {
        auto address = detail::parse_redis_url((*testing::shared_redis())->url());
        auto connection = detail::RedisConnection::open(*address, 1s);
        EXPECT_TRUE(connection);
        auto reply = (*connection)->run({"STRLEN", prefix_ + "k:" + std::string(key)});
        EXPECT_TRUE(reply);
        return reply ? detail::reply_integer(**reply) : -1;
    }

    std::string prefix_;
    std::unique_ptr<RedisCache> cache_;
};

TEST_F(RedisCacheTest, ReadsBackWhatWasWrittenAndMissesTheRest) {
    ASSERT_TRUE(cache_->set("job:1", "queued"));
    ASSERT_TRUE(cache_->set("job:1", "done"));
    EXPECT_EQ(read("job:1"), "done");
    EXPECT_EQ(read("job:2"), std::nullopt);
    ASSERT_TRUE(cache_->set("empty", ""));
    EXPECT_EQ(read("empty"), "");
    const LayerStats stats = cache_->layer_stats();
    EXPECT_EQ(stats.layer, "redis");
    EXPECT_EQ(stats.hits, 2u);
    EXPECT_EQ(stats.misses, 1u);
    EXPECT_EQ(stats.sets, 3u);
    EXPECT_GT(cache_->latency().samples, 0u);
}

TEST_F(RedisCacheTest, EraseSaysWhetherTheKeyWasThere) {
    ASSERT_TRUE(cache_->set("k", "v"));
    EXPECT_EQ(cache_->erase("k"), true);
    EXPECT_EQ(cache_->erase("k"), false);
    EXPECT_EQ(read("k"), std::nullopt);
}

TEST_F(RedisCacheTest, LargeValuesRoundTripCompressedAndBinarySafe) {
    std::string large;
    for (int i = 0; i < 5000; ++i) large += "frame " + std::to_string(i % 7) + '\0';
    std::string binary = {'\0', 'r', 'z', '\xff', '\n'};
    ASSERT_TRUE(cache_->set("large", large));
    ASSERT_TRUE(cache_->set("binary", binary));
    EXPECT_EQ(read("large"), large);
    EXPECT_EQ(read("binary"), binary);
    EXPECT_LT(stored_size("large"), static_cast<long long>(large.size()) / 4);
    EXPECT_EQ(stored_size("binary"), static_cast<long long>(binary.size()) + 1);  // the format byte
}

TEST_F(RedisCacheTest, OnlyValuesOverOneKibibyteAreCompressed) {
    const std::string at_limit(1024, 'a');
    const std::string over_limit(1025, 'a');
    ASSERT_TRUE(cache_->set("at", at_limit));
    ASSERT_TRUE(cache_->set("over", over_limit));
    EXPECT_EQ(stored_size("at"), 1025);
    EXPECT_LT(stored_size("over"), 100);
    EXPECT_EQ(read("over"), over_limit);
}

TEST_F(RedisCacheTest, EntriesExpireAfterTheirTtlAndReportWhatRemains) {
    ASSERT_TRUE(cache_->set("short", "v", {.ttl = 50ms}));
    ASSERT_TRUE(cache_->set("long", "v", {.ttl = 60s, .tags = {"t"}}));
    auto entry = cache_->get_entry("long");
    ASSERT_TRUE(entry && *entry);
    EXPECT_GT((*entry)->ttl, 0ms);
    EXPECT_LE((*entry)->ttl, 60s);
    EXPECT_EQ((*entry)->tags, std::vector<std::string>{"t"});
    std::this_thread::sleep_for(120ms);
    EXPECT_EQ(read("short"), std::nullopt);
    EXPECT_FALSE(cache_->set("bad", "v", {.ttl = -1ms}));
}

TEST_F(RedisCacheTest, InvalidatingATagDropsEveryEntryWrittenWithItAndNoOther) {
    ASSERT_TRUE(cache_->set("a", "1", {.tags = {"video", "tenant:1"}}));
    ASSERT_TRUE(cache_->set("b", "2", {.tags = {"video"}}));
    ASSERT_TRUE(cache_->set("c", "3", {.tags = {"tenant:1"}}));
    EXPECT_EQ(cache_->invalidate_tag("video"), 2u);
    EXPECT_EQ(read("a"), std::nullopt);
    EXPECT_EQ(read("b"), std::nullopt);
    EXPECT_EQ(read("c"), "3");
    EXPECT_EQ(cache_->invalidate_tag("video"), 0u);
}

TEST_F(RedisCacheTest, RewritingAKeyDropsItFromItsOldTags) {
    ASSERT_TRUE(cache_->set("a", "old", {.tags = {"old"}}));
    ASSERT_TRUE(cache_->set("a", "new", {.tags = {"new"}}));
    EXPECT_EQ(cache_->invalidate_tag("old"), 0u);
    EXPECT_EQ(read("a"), "new");
    EXPECT_EQ(cache_->invalidate_tag("new"), 1u);
}

TEST_F(RedisCacheTest, ClearPatternMatchesOurGlobAndTakesBracketsLiterally) {
    for (const char* key : {"job:1", "job:22", "job:[1]", "jobs", "asset:1"})
        ASSERT_TRUE(cache_->set(key, "v"));
    EXPECT_EQ(cache_->clear_pattern("job:?"), 1u);
    EXPECT_EQ(read("job:22"), "v");
    EXPECT_EQ(cache_->clear_pattern("job:[1]"), 1u);
    EXPECT_EQ(read("job:22"), "v");
    EXPECT_EQ(cache_->clear_pattern("job*"), 2u);
    EXPECT_EQ(read("asset:1"), "v");
    EXPECT_EQ(cache_->clear_pattern("*"), 1u);
}

TEST_F(RedisCacheTest, ManyKeysClearAcrossScanPages) {
    for (int i = 0; i < 2500; ++i) ASSERT_TRUE(cache_->set("bulk:" + std::to_string(i), "v"));
    EXPECT_EQ(cache_->clear_pattern("bulk:*"), 2500u);
}

TEST_F(RedisCacheTest, TwoCachesWithDifferentPrefixesDoNotSeeEachOther) {
    auto server = testing::shared_redis();
    auto other = RedisCache::open((*server)->url(), {.prefix = (*server)->unique_prefix()});
    ASSERT_TRUE(other);
    ASSERT_TRUE(cache_->set("k", "mine"));
    EXPECT_EQ((*other)->get("k"), std::nullopt);
    EXPECT_EQ((*other)->clear_pattern("*"), 0u);
    EXPECT_EQ(read("k"), "mine");
}

TEST(RedisCacheUrl, RefusesWhatIsNotARedisUrl) {
    EXPECT_FALSE(RedisCache::open("http://localhost:6379"));
    EXPECT_FALSE(RedisCache::open("redis://localhost:port"));
    EXPECT_FALSE(RedisCache::open("redis://:6379"));
    EXPECT_FALSE(RedisCache::open("redis://user:secret@localhost:6379"));
    EXPECT_FALSE(RedisCache::open("redis://localhost:6379/x"));
    EXPECT_TRUE(RedisCache::open("redis://localhost:6379/2"));
}

TEST(RedisCacheDown, CallsFailWithAnIoErrorQuickly) {
    auto server = testing::RedisServer::start();
    ASSERT_TRUE(server) << server.error().to_string();
    auto cache = RedisCache::open((*server)->url(), {.timeout = 200ms});
    ASSERT_TRUE(cache);
    ASSERT_TRUE((*cache)->set("k", "v"));
    ASSERT_TRUE((*server)->stop());
    auto read = (*cache)->get("k");
    ASSERT_FALSE(read);
    EXPECT_EQ(read.error().code, Code::io);
    ASSERT_TRUE((*server)->start_again());
    std::optional<std::string> after;
    for (int i = 0; i < 100 && !after; ++i) {
        auto value = (*cache)->get("missing");
        if (value) after = "answered";
        std::this_thread::sleep_for(20ms);
    }
    EXPECT_EQ(after, "answered");
}

TEST(RedisCacheDown, TheFirstCallAfterARestartReconnectsInsteadOfFailing) {
    auto server = testing::RedisServer::start();
    ASSERT_TRUE(server) << server.error().to_string();
    auto cache = RedisCache::open((*server)->url());
    ASSERT_TRUE(cache);
    ASSERT_TRUE((*cache)->set("k", "v"));
    ASSERT_TRUE((*server)->restart());
    auto read = (*cache)->get("k");
    ASSERT_TRUE(read) << read.error().to_string();
    EXPECT_EQ(*read, std::nullopt);  // the server keeps nothing across a restart
}

}  // namespace
}  // namespace vidgen::cache
