#include "http/detail/latency_ring.hpp"

#include <algorithm>
#include <vector>

namespace vidgen::http::detail {

void LatencyRing::record(double milliseconds) {
    const std::uint64_t index = count_.fetch_add(1, std::memory_order_relaxed);
    samples_[index % kSize].store(static_cast<float>(milliseconds), std::memory_order_relaxed);
    total_ms_.fetch_add(milliseconds, std::memory_order_relaxed);
}

LatencySummary LatencyRing::snapshot() const {
    LatencySummary summary;
    summary.count = count_.load(std::memory_order_relaxed);
    if (summary.count == 0) return summary;
    summary.average_ms = total_ms_.load(std::memory_order_relaxed) / static_cast<double>(summary.count);
    std::vector<float> recent(std::min<std::uint64_t>(summary.count, kSize));
    for (std::size_t i = 0; i < recent.size(); ++i) recent[i] = samples_[i].load(std::memory_order_relaxed);
    std::sort(recent.begin(), recent.end());
    auto at = [&](double fraction) {
        return static_cast<double>(
            recent[static_cast<std::size_t>(fraction * static_cast<double>(recent.size() - 1))]);
    };
    summary.p50_ms = at(0.50);
    summary.p95_ms = at(0.95);
    summary.p99_ms = at(0.99);
    return summary;
}

}  // namespace vidgen::http::detail
