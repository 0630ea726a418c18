// CallTimer: times one store call into a duration histogram and counts it in an in-use gauge while it
// runs. Either may be null (no metrics). Lives on the caller's stack; the metrics are thread-safe.
#pragma once

#include <chrono>

#include "core/metrics.hpp"

namespace vidgen::store::detail {

class CallTimer {
  public:
    CallTimer(Histogram* duration, Gauge* in_use) : duration_(duration), in_use_(in_use) {
        if (in_use_) in_use_->add(1);
    }
    ~CallTimer() {
        if (in_use_) in_use_->add(-1);
        if (duration_) duration_->observe(std::chrono::duration<double>(Clock::now() - start_).count());
    }
    CallTimer(const CallTimer&) = delete;
    CallTimer& operator=(const CallTimer&) = delete;

  private:
    using Clock = std::chrono::steady_clock;
    Histogram* duration_;
    Gauge* in_use_;
    Clock::time_point start_ = Clock::now();
};

}  // namespace vidgen::store::detail
