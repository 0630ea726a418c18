// Cache coherence across nodes (issue 4): two `vidgen serve` processes on one PostgreSQL schema and one
// Redis, each with its memory cache and response cache. A template renamed through node A is served with
// its new name by A at once and by B within the invalidation window (Redis pub/sub, well under 100 ms),
// checked with a generous margin for a loaded machine, and never stale again after that. A write made while
// the writing node alone was cut off from Redis reaches the other node once the link is back.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "app/node_harness.hpp"
#include "support/postgres_server.hpp"
#include "support/redis_server.hpp"
#include "support/tcp_proxy.hpp"

namespace vidgen {
namespace {

using namespace std::chrono_literals;
using testing::Nodes;
using testing::read_template;

constexpr auto kInvalidationWindow = 100ms;
constexpr auto kMargin = 900ms;  // a machine busy with other tests delays a process by that much at times
constexpr int kRounds = 20;

TEST(Coherence, AWriteThroughOneNodeIsNeverServedStaleByAnotherAfterTheWindow) {
    auto postgres = testing::shared_postgres();
    ASSERT_TRUE(postgres) << postgres.error().to_string();
    auto db = (*postgres)->create_schema();
    ASSERT_TRUE(db) << db.error().to_string();
    auto redis = testing::RedisServer::start();  // its own: the invalidation channel is global to a server
    ASSERT_TRUE(redis) << redis.error().to_string();
    Nodes nodes(*db, (*redis)->url(), {"--rate-limit", "0"});
    const auto key = nodes.create_key();
    ASSERT_FALSE(key.empty()) << nodes.failure();
    const auto* a = nodes.start("serve", {"--render", "false"});
    const auto* b = nodes.start("serve", {"--render", "false"});
    ASSERT_TRUE(a && b) << nodes.failure();
    const auto id = testing::create_template(*a, key, "v0");
    ASSERT_NE(id, "");

    double slowest = 0;
    for (int round = 1; round <= kRounds; ++round) {
        EXPECT_EQ(read_template(*b, key, id).name, fmt::format("v{}", round - 1));
        ASSERT_TRUE(read_template(*b, key, id).cached)
            << "node B does not cache the template: nothing to test";
        const auto name = fmt::format("v{}", round);
        const double took =
            testing::rename_and_wait_across(*a, *b, key, id, name, kInvalidationWindow + kMargin);
        ASSERT_GE(took, 0) << "round " << round << ": node B served the old template past the window";
        EXPECT_EQ(read_template(*a, key, id).name, name) << "the writing node serves its own write";
        slowest = std::max(slowest, took);
    }
    fmt::print("{} writes through node A: node B served each new version within {:.1f} ms\n", kRounds,
               slowest * 1000);
    EXPECT_TRUE(nodes.all_alive()) << nodes.failure();
    EXPECT_TRUE(nodes.stop_all()) << nodes.failure();
}

TEST(Coherence, AWriteMadeWhileItsNodeWasCutOffFromRedisReachesTheOtherNodeWhenTheLinkIsBack) {
    auto postgres = testing::shared_postgres();
    ASSERT_TRUE(postgres) << postgres.error().to_string();
    auto db = (*postgres)->create_schema();
    ASSERT_TRUE(db) << db.error().to_string();
    auto redis = testing::RedisServer::start();
    ASSERT_TRUE(redis) << redis.error().to_string();
    auto link = testing::TcpProxy::start((*redis)->port());  // node A reaches Redis through it
    ASSERT_TRUE(link) << link.error().to_string();
    Nodes nodes(*db, (*redis)->url(), {"--rate-limit", "0"});
    const auto key = nodes.create_key();
    ASSERT_FALSE(key.empty()) << nodes.failure();
    const auto redis_through_link = fmt::format("redis://127.0.0.1:{}", (*link)->port());
    const auto* a = nodes.start("serve", {"--render", "false"}, redis_through_link);
    const auto* b = nodes.start("serve", {"--render", "false"});
    ASSERT_TRUE(a && b) << nodes.failure();
    const auto id = testing::create_template(*a, key, "v0");
    ASSERT_NE(id, "");
    EXPECT_EQ(read_template(*b, key, id).name, "v0");
    ASSERT_TRUE(read_template(*b, key, id).cached);

    (*link)->cut();
    ASSERT_TRUE(testing::wait_metric(*a, "vidgen_cache_redis_degraded 1", testing::Clock::now() + 5s))
        << nodes.logs();
    EXPECT_GE(testing::rename_and_wait_across(*a, *a, key, id, "v1", 0s), 0) << "node A serves its own write";
    EXPECT_EQ(read_template(*b, key, id).name, "v0") << "node B heard of a write it could not have";
    (*link)->restore();
    ASSERT_TRUE(testing::wait_metric(*a, "vidgen_cache_redis_degraded 0", testing::Clock::now() + 5s));
    const auto back = testing::Clock::now();
    while (read_template(*b, key, id).name != "v1" &&
           testing::Clock::now() - back < kInvalidationWindow + kMargin)
        std::this_thread::sleep_for(5ms);
    EXPECT_EQ(read_template(*b, key, id).name, "v1")
        << "node B still serves what node A overwrote while cut off";
    EXPECT_TRUE(nodes.all_alive()) << nodes.failure();
    EXPECT_TRUE(nodes.stop_all()) << nodes.failure();
}

}  // namespace
}  // namespace vidgen
