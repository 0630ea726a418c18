#include "worker/periodic.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <random>

namespace vidgen::worker {

void run_periodically(const std::stop_token& stop, std::chrono::milliseconds interval,
                      const std::function<void()>& work) {
    interval = std::max(interval, std::chrono::milliseconds(1));
    std::mt19937_64 random(std::random_device{}());
    auto next = std::chrono::steady_clock::now() +
                std::chrono::milliseconds(
                    std::uniform_int_distribution<std::int64_t>(0, interval.count() - 1)(random));
    std::mutex mutex;
    std::condition_variable_any wake;  // only for its stop_token-aware wait
    std::unique_lock lock(mutex);
    while (!stop.stop_requested()) {
        wake.wait_until(lock, stop, next, [] { return false; });
        if (stop.stop_requested()) return;
        work();
        next = std::chrono::steady_clock::now() + interval;
    }
}

std::chrono::milliseconds interval_of(double seconds) {
    return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
}

}  // namespace vidgen::worker
