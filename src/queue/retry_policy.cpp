#include "queue/retry_policy.hpp"

#include <algorithm>
#include <cmath>

namespace vidgen::queue {

double backoff_seconds(const RetryPolicy& policy, int attempt, double random_unit) {
    double exponent = std::max(attempt, 1) - 1;
    double wait = policy.base_seconds * std::pow(policy.factor, exponent);
    if (!std::isfinite(wait)) wait = policy.cap_seconds;
    wait = std::clamp(wait, 0.0, std::max(policy.cap_seconds, 0.0));
    double jitter = std::clamp(policy.jitter, 0.0, 1.0) * std::clamp(random_unit, 0.0, 1.0);
    return wait * (1 - jitter);
}

}  // namespace vidgen::queue
