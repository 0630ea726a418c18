#include "queue/lease_heartbeat.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <unordered_map>

namespace vidgen::queue {

namespace {

using Steady = std::chrono::steady_clock;

Steady::duration seconds(double value) {
    auto ms = std::max<long long>(static_cast<long long>(value * 1000), 1);
    return std::chrono::milliseconds(ms);
}

// The heartbeats running in this process by job id, for check_now().
struct Running {
    std::mutex mutex;
    std::unordered_multimap<std::string, LeaseHeartbeat*> by_job;
};

Running& running() {
    static Running instance;
    return instance;
}

}  // namespace

LeaseHeartbeat::LeaseHeartbeat(JobQueue& queue, store::Job leased)
    : queue_(queue),
      leased_(std::move(leased)),
      lease_(store::lease_of(leased_)),
      progress_(leased_.progress),
      written_progress_(leased_.progress),
      thread_([this](const std::stop_token& stop) { run(stop); }) {
    std::lock_guard lock(running().mutex);
    running().by_job.emplace(leased_.id, this);
}

LeaseHeartbeat::~LeaseHeartbeat() {
    stop();
}

void LeaseHeartbeat::stop() {
    if (!thread_.joinable()) return;
    {
        std::lock_guard lock(running().mutex);
        std::erase_if(running().by_job, [this](const auto& entry) { return entry.second == this; });
    }
    thread_.request_stop();
    thread_.join();
}

void LeaseHeartbeat::check_now(std::string_view job_id) {
    std::lock_guard lock(running().mutex);
    auto [first, last] = running().by_job.equal_range(std::string(job_id));
    for (auto it = first; it != last; ++it) it->second->wake();
}

void LeaseHeartbeat::wake() {
    {
        std::lock_guard lock(mutex_);
        check_requested_ = true;
    }
    wake_.notify_all();
}

std::optional<Error> LeaseHeartbeat::last_error() const {
    std::lock_guard lock(mutex_);
    return last_error_;
}

void LeaseHeartbeat::run(const std::stop_token& stop) {
    auto extend_every = seconds(queue_.options().lease_seconds / 3);
    auto check_every = std::min(seconds(queue_.options().cancel_check_seconds), extend_every);
    auto next_extension = Steady::now() + extend_every;
    while (!stop_flag_.load()) {
        auto wake_at = std::min(Steady::now() + check_every, next_extension);
        {
            std::unique_lock lock(mutex_);
            wake_.wait_until(lock, stop, wake_at, [this] { return check_requested_; });
            if (stop.stop_requested()) return;
            check_requested_ = false;
        }
        bool extend = extension_due(next_extension);
        if (extend) next_extension = Steady::now() + extend_every;
        beat(extend);
    }
}

bool LeaseHeartbeat::extension_due(Steady::time_point next_extension) const {
    if (Steady::now() >= next_extension) return true;
    return std::abs(progress_.load() - written_progress_) >= queue_.options().progress_step;
}

void LeaseHeartbeat::beat(bool extend) {
    if (extend) {
        auto progress = progress_.load();
        auto extended = queue_.extend(lease_, progress);
        if (extended) {
            extensions_.fetch_add(1);
            written_progress_ = progress;
        }
        record(extended);
    } else {
        record(queue_.check(leased_));
    }
}

void LeaseHeartbeat::record(const Result<void>& result) {
    if (result) return;
    if (result.error().code == Code::canceled) {
        canceled_.store(true);
    } else if (result.error().code == Code::not_found) {
        lost_.store(true);
    } else {
        std::lock_guard lock(mutex_);
        last_error_ = result.error();
        return;
    }
    stop_flag_.store(true);
}

}  // namespace vidgen::queue
