// run_periodically: the loop of the worker's background chores (webhook scans, blob sweeps). The first
// run comes at a random point of the first interval, so that nodes started together spread out, then one
// run every interval after the last one ended. Blocks its thread until `stop` is requested; pure apart
// from the work it runs.
#pragma once

#include <chrono>
#include <functional>
#include <stop_token>

namespace vidgen::worker {

// `interval` below 1 ms counts as 1 ms.
void run_periodically(const std::stop_token& stop, std::chrono::milliseconds interval,
                      const std::function<void()>& work);

// Seconds as a run_periodically interval.
std::chrono::milliseconds interval_of(double seconds);

}  // namespace vidgen::worker
