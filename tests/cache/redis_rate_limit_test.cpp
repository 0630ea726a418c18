#include <gtest/gtest.h>

#include "cache/redis_rate_limiter.hpp"
#include "support/redis_server.hpp"

namespace vidgen::cache {
namespace {

using namespace std::chrono_literals;

// A bucket of 3 that refills one token in about 17 minutes: no refill can happen during a test.
constexpr RedisRateLimitOptions kSlow{.requests_per_second = 0.001, .burst = 3};

class RedisRateLimitTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto server = testing::shared_redis();
        ASSERT_TRUE(server) << server.error().to_string();
        server_ = *server;
        options_ = kSlow;
        options_.prefix = server_->unique_prefix();
    }

    std::unique_ptr<RedisRateLimiter> limiter() {
        auto opened = RedisRateLimiter::open(server_->url(), options_);
        EXPECT_TRUE(opened) << opened.error().to_string();
        return std::move(*opened);
    }

    testing::RedisServer* server_ = nullptr;
    RedisRateLimitOptions options_;
};

bool granted(RedisRateLimiter& limiter, std::string_view client) {
    auto taken = limiter.acquire(client);
    EXPECT_TRUE(taken) << taken.error().to_string();
    return taken && !taken->has_value();
}

TEST_F(RedisRateLimitTest, TwoLimitersOnOneRedisShareTheBudget) {
    auto a = limiter();
    auto b = limiter();
    EXPECT_TRUE(granted(*a, "key1"));
    EXPECT_TRUE(granted(*b, "key1"));
    EXPECT_TRUE(granted(*a, "key1"));
    EXPECT_FALSE(granted(*b, "key1"));
    EXPECT_FALSE(granted(*a, "key1"));
    EXPECT_TRUE(granted(*b, "key2"));  // another client has its own bucket
}

TEST_F(RedisRateLimitTest, ARefusalSaysHowLongUntilTheNextToken) {
    options_.burst = 1;
    auto a = limiter();
    EXPECT_TRUE(granted(*a, "key"));
    auto refused = a->acquire("key");
    ASSERT_TRUE(refused) << refused.error().to_string();
    ASSERT_TRUE(refused->has_value());
    EXPECT_GT(**refused, 900.0);  // most of the 1000 s a token takes at 0.001/s
    EXPECT_LE(**refused, 1000.0);
}

TEST(RedisRateLimit, RefusesANonPositiveRateAndABadUrl) {
    EXPECT_EQ(RedisRateLimiter::open("redis://127.0.0.1:1", {.requests_per_second = 0}).error().code,
              Code::invalid_argument);
    EXPECT_EQ(RedisRateLimiter::open("http://x", kSlow).error().code, Code::invalid_argument);
}

TEST(RedisRateLimit, AnUnreachableRedisIsAnIoError) {
    auto limiter = RedisRateLimiter::open("redis://127.0.0.1:1", kSlow);
    ASSERT_TRUE(limiter);
    auto taken = (*limiter)->acquire("key");
    ASSERT_FALSE(taken);
    EXPECT_EQ(taken.error().code, Code::io);
}

}  // namespace
}  // namespace vidgen::cache
