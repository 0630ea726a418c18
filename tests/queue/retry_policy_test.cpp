#include "queue/retry_policy.hpp"

#include <gtest/gtest.h>

namespace vidgen::queue {
namespace {

struct BackoffCase {
    int attempt;
    double random_unit;
    double expected;
};

TEST(RetryPolicyTest, GrowsExponentiallyUpToTheCapShortenedByJitter) {
    RetryPolicy policy{.max_attempts = 5, .base_seconds = 2, .factor = 2, .cap_seconds = 60, .jitter = 0.5};
    const BackoffCase cases[] = {
        {1, 0.0, 2},  {2, 0.0, 4},     {3, 0.0, 8},       {5, 0.0, 32}, {6, 0.0, 60},
        {9, 0.0, 60}, {1, 0.5, 1.5},   {3, 0.999, 4.004}, {6, 0.5, 45}, {0, 0.0, 2},
        {-3, 0.0, 2}, {5000, 0.0, 60}, {1, 7.0, 1},       {1, -1.0, 2},
    };
    for (const auto& c : cases) {
        EXPECT_NEAR(backoff_seconds(policy, c.attempt, c.random_unit), c.expected, 1e-9)
            << "attempt " << c.attempt << ", random " << c.random_unit;
    }
}

TEST(RetryPolicyTest, ZeroBaseMeansRetryAtOnce) {
    RetryPolicy policy{.max_attempts = 3, .base_seconds = 0, .factor = 2, .cap_seconds = 60, .jitter = 0};
    EXPECT_EQ(backoff_seconds(policy, 4, 0.3), 0);
}

}  // namespace
}  // namespace vidgen::queue
