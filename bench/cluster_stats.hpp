// Latency samples for the cluster benchmarks (bench/cluster): collected per thread, merged, and summed
// up as percentiles. Not thread-safe: each thread fills its own Samples and the owner merges them after
// joining the threads.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <vector>

namespace vidgen::bench {

using Steady = std::chrono::steady_clock;

class Samples {
  public:
    void add(Steady::duration elapsed) {
        micros_.push_back(std::chrono::duration<double, std::micro>(elapsed).count());
    }
    void add_micros(double micros) { micros_.push_back(micros); }
    void merge(const Samples& other) {
        micros_.insert(micros_.end(), other.micros_.begin(), other.micros_.end());
    }
    std::size_t size() const { return micros_.size(); }

    // The nearest-rank percentile (0 < p ≤ 100) in microseconds; 0 without samples. Sorts in place.
    double percentile(double p) {
        if (micros_.empty()) return 0;
        std::sort(micros_.begin(), micros_.end());
        auto rank = static_cast<std::size_t>(std::ceil(p / 100 * static_cast<double>(micros_.size())));
        return micros_[std::clamp<std::size_t>(rank, 1, micros_.size()) - 1];
    }

  private:
    std::vector<double> micros_;
};

}  // namespace vidgen::bench
