// The durations of the most recent requests, for percentiles, plus running totals. record() is lock-free;
// snapshot() copies the ring and sorts the copy. Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

namespace vidgen::http::detail {

struct LatencySummary {
    std::uint64_t count = 0;  // every request recorded since construction
    double average_ms = 0, p50_ms = 0, p95_ms = 0, p99_ms = 0;
};

class LatencyRing {
  public:
    void record(double milliseconds);
    LatencySummary snapshot() const;

  private:
    static constexpr std::size_t kSize = 4096;
    std::array<std::atomic<float>, kSize> samples_{};
    std::atomic<std::uint64_t> count_{0};
    std::atomic<double> total_ms_{0};
};

}  // namespace vidgen::http::detail
