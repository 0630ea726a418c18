// LatencyWindow: the durations of the last few thousand calls, and their percentiles. Internal to cache/.
// Thread-safe.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <mutex>

#include "cache/cache.hpp"

namespace vidgen::cache::detail {

class LatencyWindow {
  public:
    void record(std::chrono::nanoseconds duration);
    LatencyPercentiles percentiles() const;

  private:
    static constexpr std::size_t kCapacity = 4096;
    mutable std::mutex mutex_;
    std::array<std::chrono::nanoseconds, kCapacity> samples_{};
    std::size_t recorded_ = 0;  // all time; the window holds the last min(recorded_, kCapacity)
};

}  // namespace vidgen::cache::detail
