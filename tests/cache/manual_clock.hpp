// A clock tests move by hand, so TTL tests never sleep. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>

#include "cache/memory_cache.hpp"

namespace vidgen::cache {

class ManualClock {
  public:
    Clock as_clock() {
        return [this] {
            return std::chrono::steady_clock::time_point(std::chrono::milliseconds(now_ms_.load()));
        };
    }
    void advance(std::chrono::milliseconds step) { now_ms_.fetch_add(step.count()); }

  private:
    std::atomic<long long> now_ms_{1'000'000};
};

}  // namespace vidgen::cache
