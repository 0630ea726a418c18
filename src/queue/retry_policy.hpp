// RetryPolicy: how often a failed job is tried again and how long it waits in between (exponential
// backoff with a cap and jitter). backoff_seconds() is pure: the caller supplies the random number, so
// tests pin it. Value type; thread-compatible.
#pragma once

namespace vidgen::queue {

struct RetryPolicy {
    int max_attempts = 5;      // leases a job may take in total; the last failure is final (dead letter)
    double base_seconds = 2;   // wait after the first failed attempt
    double factor = 2;         // each further failure multiplies the wait by this
    double cap_seconds = 300;  // the wait never exceeds this
    double jitter = 0.2;       // 0..1: the wait is shortened by up to this fraction, at random
};

// The wait after attempt `attempt` (1-based) failed: min(cap, base * factor^(attempt-1)) * (1 - jitter * r),
// with `random_unit` r in [0, 1). Never negative; `attempt` below 1 counts as 1.
double backoff_seconds(const RetryPolicy& policy, int attempt, double random_unit);

}  // namespace vidgen::queue
