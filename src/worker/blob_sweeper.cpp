#include "worker/blob_sweeper.hpp"

#include <algorithm>
#include <unordered_set>

#include "core/log.hpp"
#include "worker/periodic.hpp"

namespace vidgen::worker {

namespace {
using SystemClock = std::chrono::system_clock;
}  // namespace

BlobSweeper::BlobSweeper(store::Store& store, blob::BlobStore& blobs, SweepOptions options)
    : store_(store), blobs_(blobs), options_(options) {
    options_.batch = std::clamp(options_.batch, 1, static_cast<int>(store::Store::kMaxKeyBatch));
    if (options_.periodic) thread_ = std::jthread([this](const std::stop_token& stop) { run(stop); });
}

BlobSweeper::~BlobSweeper() = default;

// Sweeps at a random point of the first interval, then every interval, until stopped.
void BlobSweeper::run(const std::stop_token& stop) {
    run_periodically(stop, interval_of(options_.interval_seconds), [this] {
        if (auto swept = sweep_once(); !swept) spdlog::warn("blob sweep: {}", swept.error().to_string());
    });
}

Result<SweepReport> BlobSweeper::sweep_once(SystemClock::time_point now) {
    std::lock_guard pass(passes_);
    SweepReport report;
    if (auto deleted = delete_abandoned_segments(report); !deleted) return std::unexpected(deleted.error());
    auto cutoff = now - std::chrono::duration_cast<SystemClock::duration>(
                            std::chrono::duration<double>(options_.grace_seconds));
    auto keys = blobs_.list();
    if (!keys) return std::unexpected(keys.error());
    std::vector<blob::BlobInfo> old;
    for (const auto& key : *keys) {
        ++report.examined;
        auto info = blobs_.stat(key);
        if (!info) continue;  // removed meanwhile
        if (info->modified < cutoff) old.push_back(std::move(*info));
        if (old.size() < static_cast<std::size_t>(options_.batch)) continue;
        if (auto swept = sweep_batch(old, cutoff, report); !swept) return std::unexpected(swept.error());
    }
    if (auto swept = sweep_batch(old, cutoff, report); !swept) return std::unexpected(swept.error());
    if (report.removed > 0 || report.segment_outputs > 0) {
        spdlog::info(
            "blob sweep: removed {} unreferenced blobs ({} bytes) of {}, {} abandoned segment outputs",
            report.removed, report.removed_bytes, report.examined, report.segment_outputs);
    }
    return report;
}

// In bounded deletes until none is left.
Result<void> BlobSweeper::delete_abandoned_segments(SweepReport& report) {
    for (;;) {
        auto deleted = store_.delete_abandoned_segment_outputs(options_.batch);
        if (!deleted) return std::unexpected(deleted.error());
        report.segment_outputs += static_cast<std::int64_t>(deleted->size());
        if (deleted->size() < static_cast<std::size_t>(options_.batch)) return {};
    }
}

// Removes the blobs of `old` that nothing refers to, then empties it.
Result<void> BlobSweeper::sweep_batch(std::vector<blob::BlobInfo>& old, SystemClock::time_point cutoff,
                                      SweepReport& report) {
    if (old.empty()) return {};
    std::vector<std::string> keys;
    keys.reserve(old.size());
    for (const auto& info : old) keys.push_back(info.key);
    auto referenced = store_.referenced_keys(keys);
    if (!referenced) return std::unexpected(referenced.error());
    std::unordered_set<std::string> kept(referenced->begin(), referenced->end());
    for (const auto& info : old) {
        if (kept.contains(info.key)) continue;
        auto removed = blobs_.remove_if_older(info.key, cutoff);
        if (!removed) return std::unexpected(removed.error());
        if (!*removed) continue;
        ++report.removed;
        report.removed_bytes += info.size;
        spdlog::debug("blob sweep: removed {} ({} bytes)", info.key, info.size);
    }
    old.clear();
    return {};
}

}  // namespace vidgen::worker
