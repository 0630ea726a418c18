#include "http/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace vidgen::http {
namespace {

// A bucket of 2 that refills one token in about 17 minutes: no refill can happen during a test.
constexpr RateLimit kSlow{.requests_per_second = 0.001, .burst = 2};

TEST(RateLimiter, LocalBucketsRefuseOnceEmptyAndSayHowLongToWait) {
    auto limiter = make_local_rate_limiter(kSlow);
    EXPECT_EQ(limiter->acquire("a"), std::nullopt);
    EXPECT_EQ(limiter->acquire("a"), std::nullopt);
    auto refused = limiter->acquire("a");
    ASSERT_TRUE(refused.has_value());
    EXPECT_GT(*refused, 900.0);
    EXPECT_EQ(limiter->acquire("b"), std::nullopt);  // another client has its own bucket
}

TEST(RateLimiter, RedisBackedLimitsLocallyWhileRedisIsUnreachable) {
    auto limiter = make_redis_rate_limiter("redis://127.0.0.1:1", kSlow);
    ASSERT_TRUE(limiter) << limiter.error().to_string();
    EXPECT_EQ((*limiter)->acquire("a"), std::nullopt);
    EXPECT_EQ((*limiter)->acquire("a"), std::nullopt);
    EXPECT_TRUE((*limiter)->acquire("a").has_value());
}

TEST(RateLimiter, RedisBackedRefusesABadUrlOrRate) {
    EXPECT_EQ(make_redis_rate_limiter("http://x", kSlow).error().code, Code::invalid_argument);
    EXPECT_EQ(make_redis_rate_limiter("redis://127.0.0.1:1", {}).error().code, Code::invalid_argument);
}

}  // namespace
}  // namespace vidgen::http
