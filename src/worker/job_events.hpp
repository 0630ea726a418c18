// Publishing a job's state changes: each event carries the job's public JSON view (queue/job_json.hpp)
// and drops the API's cached responses that show the job. Progress events are thinned to changes of at
// least 1% and at most about five a second. Thread-safe; a ProgressEvents belongs to one job.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <string_view>
#include <vector>

#include "worker/job_runner.hpp"

namespace vidgen::worker {

// Publishes `type` ("rendering", "progress", "queued", "done", "failed", "canceled") for `job` as given.
void publish_job(const WorkerServices& services, const WorkerOptions& options, std::string_view type,
                 const store::Job& job, const std::vector<store::Output>& outputs = {});

// Reads the job and its outputs from the store and publishes `type` for them (nothing when the read fails).
void publish_stored_job(const WorkerServices& services, const WorkerOptions& options, std::string_view type,
                        const store::Job& job);

class ProgressEvents {
  public:
    ProgressEvents(const WorkerServices& services, const WorkerOptions& options, store::Job job);
    // Called with every progress report (any thread); publishes when due.
    void update(double progress);

  private:
    const WorkerServices& services_;
    const WorkerOptions& options_;
    std::mutex mutex_;  // guards the fields below
    store::Job job_;
    std::chrono::steady_clock::time_point last_time_{};
};

}  // namespace vidgen::worker
