// LatencyWindow: the durations of the last few thousand calls, and their percentiles. Internal to cache/.
// Thread-safe.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <mutex>

namespace vidgen::cache::detail {

struct LatencyPercentiles {
    std::chrono::microseconds p50{0};
    std::chrono::microseconds p90{0};
    std::chrono::microseconds p99{0};
    std::size_t samples = 0;  // calls the percentiles were taken over
};

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
