#include <gtest/gtest.h>

#include <functional>
#include <thread>

#include "cache/open_cache.hpp"
#include "cache/tiered_cache.hpp"
#include "support/redis_server.hpp"

namespace vidgen::cache {
namespace {

using namespace std::chrono_literals;

// True as soon as `condition` holds, false when it still does not after `limit`.
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit = 1s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

std::optional<std::string> read(Cache& cache, std::string_view key) {
    auto value = cache.get(key);
    EXPECT_TRUE(value) << value.error().to_string();
    return value ? *value : std::nullopt;
}

// Nodes of one cluster: TieredCaches on one Redis with one key prefix and one channel, unique per test.
class Cluster {
  public:
    Cluster(testing::RedisServer& server) : url_(server.url()), prefix_(server.unique_prefix()) {}

    std::unique_ptr<TieredCache> node(MetricsRegistry* metrics = nullptr) {
        auto redis = RedisCache::open(url_, {.prefix = prefix_, .timeout = 300ms});
        EXPECT_TRUE(redis);
        return std::make_unique<TieredCache>(
            std::make_unique<MemoryCache>(), std::move(*redis),
            TieredCacheOptions{.channel = prefix_ + "invalidate", .metrics = metrics});
    }
    std::unique_ptr<RedisCache> redis_only() {
        return std::move(*RedisCache::open(url_, {.prefix = prefix_}));
    }

  private:
    std::string url_;
    std::string prefix_;
};

class TieredCacheTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto server = testing::shared_redis();
        ASSERT_TRUE(server) << server.error().to_string();
        cluster_.emplace(**server);
        a_ = cluster_->node();
        b_ = cluster_->node();
    }

    std::optional<Cluster> cluster_;
    std::unique_ptr<TieredCache> a_;
    std::unique_ptr<TieredCache> b_;
};

TEST_F(TieredCacheTest, ReadsFillTheMemoryLayerFromRedisAndHitItNext) {
    ASSERT_TRUE(cluster_->redis_only()->set("k", "v"));  // no invalidation in flight to hold the fill back
    EXPECT_EQ(read(*b_, "k"), "v");
    EXPECT_EQ(read(*b_, "k"), "v");
    const CacheStats stats = b_->stats();
    ASSERT_EQ(stats.layers.size(), 2u);
    EXPECT_EQ(stats.layers[0].layer, "memory");
    EXPECT_EQ(stats.layers[0].hits, 1u);
    EXPECT_EQ(stats.layers[0].entries, 1u);
    EXPECT_EQ(stats.layers[1].hits, 1u);
    EXPECT_EQ(read(*b_, "absent"), std::nullopt);
    EXPECT_FALSE(b_->degraded());
}

TEST_F(TieredCacheTest, FillBackKeepsTheRemainingTtl) {
    ASSERT_TRUE(cluster_->redis_only()->set("short", "v", {.ttl = 150ms}));
    EXPECT_EQ(read(*b_, "short"), "v");
    std::this_thread::sleep_for(250ms);
    EXPECT_EQ(read(*b_, "short"), std::nullopt);
}

TEST_F(TieredCacheTest, AWriteOnOneNodeIsNotServedStaleByAnother) {
    ASSERT_TRUE(a_->set("k", "v1"));
    ASSERT_EQ(read(*b_, "k"), "v1");
    ASSERT_TRUE(a_->set("k", "v2"));
    EXPECT_TRUE(eventually([&] { return read(*b_, "k") == "v2"; }));
    ASSERT_TRUE(a_->erase("k"));
    EXPECT_TRUE(eventually([&] { return read(*b_, "k") == std::nullopt; }));
}

TEST_F(TieredCacheTest, TagAndPatternInvalidationsReachTheOtherNodesMemory) {
    ASSERT_TRUE(a_->set("video:1", "1", {.tags = {"tenant:7"}}));
    ASSERT_TRUE(a_->set("thumb:1", "2"));
    ASSERT_EQ(read(*b_, "video:1"), "1");
    ASSERT_EQ(read(*b_, "thumb:1"), "2");
    ASSERT_TRUE(a_->invalidate_tag("tenant:7"));
    EXPECT_TRUE(eventually([&] { return read(*b_, "video:1") == std::nullopt; }));
    ASSERT_TRUE(a_->clear_pattern("thumb:*"));
    EXPECT_TRUE(eventually([&] { return read(*b_, "thumb:1") == std::nullopt; }));
}

TEST_F(TieredCacheTest, ReadsRacingWritesEndOnTheLastValue) {
    std::jthread reader([&](const std::stop_token& stop) {
        while (!stop.stop_requested()) (void)b_->get("k");
    });
    for (int i = 0; i <= 200; ++i) ASSERT_TRUE(a_->set("k", std::to_string(i)));
    reader.request_stop();
    reader.join();
    EXPECT_TRUE(eventually([&] { return read(*b_, "k") == "200"; }));
    EXPECT_EQ(read(*a_, "k"), "200");
}

TEST_F(TieredCacheTest, ANodeDoesNotDropWhatItJustWroteOnHearingItsOwnMessage) {
    ASSERT_TRUE(a_->set("k", "v"));
    std::this_thread::sleep_for(50ms);
    EXPECT_EQ(read(*a_, "k"), "v");
    EXPECT_EQ(a_->stats().layers[0].hits, 1u);
}

TEST(TieredCacheRestart, RedisGoingAwayDegradesToMemoryAndRecoversCoherence) {
    auto server = testing::RedisServer::start();
    ASSERT_TRUE(server) << server.error().to_string();
    Cluster cluster(**server);
    MetricsRegistry metrics;
    auto a = cluster.node(&metrics);
    auto b = cluster.node();
    ASSERT_TRUE(a->set("before", "1"));
    ASSERT_EQ(read(*b, "before"), "1");

    ASSERT_TRUE((*server)->stop());
    ASSERT_TRUE(a->set("during", "2"));
    EXPECT_EQ(read(*a, "during"), "2");
    EXPECT_EQ(read(*a, "before"), "1");
    EXPECT_EQ(read(*b, "absent"), std::nullopt);
    EXPECT_TRUE(eventually([&] { return a->degraded() && b->degraded(); }));
    EXPECT_EQ(metrics.gauge("vidgen_cache_redis_degraded", "").with(LabelValues{}).value(), 1);
    EXPECT_GT(metrics.counter("vidgen_cache_redis_errors_total", "").with(LabelValues{}).value(), 0);

    ASSERT_TRUE((*server)->start_again());
    EXPECT_TRUE(eventually([&] { return !a->degraded() && !b->degraded(); }, 5s));
    EXPECT_EQ(metrics.gauge("vidgen_cache_redis_degraded", "").with(LabelValues{}).value(), 0);
    EXPECT_EQ(read(*a, "during"), std::nullopt);  // memory was cleared; the restarted Redis is empty
    ASSERT_TRUE(a->set("after", "v1"));
    ASSERT_EQ(read(*b, "after"), "v1");
    ASSERT_TRUE(a->set("after", "v2"));
    EXPECT_TRUE(eventually([&] { return read(*b, "after") == "v2"; }));
}

TEST(OpenCache, PicksTheLayersTheUrlNames) {
    auto memory = open_cache("");
    ASSERT_TRUE(memory);
    EXPECT_NE(dynamic_cast<MemoryCache*>(memory->get()), nullptr);
    auto server = testing::shared_redis();
    ASSERT_TRUE(server) << server.error().to_string();
    auto tiered = open_cache((*server)->url() + "/3");
    ASSERT_TRUE(tiered) << tiered.error().to_string();
    EXPECT_NE(dynamic_cast<TieredCache*>(tiered->get()), nullptr);
    EXPECT_FALSE(open_cache("memcached://localhost"));
}

}  // namespace
}  // namespace vidgen::cache
