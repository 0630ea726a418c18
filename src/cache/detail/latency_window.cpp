#include "cache/detail/latency_window.hpp"

#include <algorithm>
#include <vector>

namespace vidgen::cache::detail {
namespace {

std::chrono::nanoseconds at_rank(const std::vector<std::chrono::nanoseconds>& sorted, double fraction) {
    return sorted[static_cast<std::size_t>(fraction * static_cast<double>(sorted.size() - 1))];
}

}  // namespace

void LatencyWindow::record(std::chrono::nanoseconds duration) {
    std::lock_guard lock(mutex_);
    samples_[recorded_ % kCapacity] = duration;
    ++recorded_;
}

LatencyPercentiles LatencyWindow::percentiles() const {
    std::vector<std::chrono::nanoseconds> sorted;
    {
        std::lock_guard lock(mutex_);
        sorted.assign(samples_.begin(), samples_.begin() + std::min(recorded_, kCapacity));
    }
    if (sorted.empty()) return {};
    std::sort(sorted.begin(), sorted.end());
    return {at_rank(sorted, 0.5), at_rank(sorted, 0.9), at_rank(sorted, 0.99), sorted.size()};
}

}  // namespace vidgen::cache::detail
