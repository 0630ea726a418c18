// Running one leased job to its end: load the spec (inline or the template version), fill the merge
// fields, parse and validate (a bad spec fails at once, never retried), make the sources safe and local
// (job_sources.hpp), look the render key up in the render cache (outputs of an identical earlier job are
// reused without rendering), else render into a per-job scratch folder, publish the file into the blob
// store and complete the job. A LeaseHeartbeat keeps the lease and writes progress; a cancel or a lost
// lease stops the render within about a second. Every state change is published on the event bus with the
// job's public JSON view. run_job() is thread-safe: each worker thread runs its own jobs.
#pragma once

#include <atomic>
#include <filesystem>
#include <string>

#include "blob/blob_store.hpp"
#include "cache/cache.hpp"
#include "media/policy.hpp"
#include "queue/events.hpp"
#include "queue/job_queue.hpp"
#include "spec/limits.hpp"
#include "store/store.hpp"

namespace vidgen::worker {

struct WorkerOptions {
    int render_threads = 0;  // frame threads per render; 0 = all cores
    media::InputLimits input{};
    spec::Limits spec_limits{};
    std::string media_url_prefix = "/api/v1/media/";  // outputs' URLs in events: prefix + content key
    std::filesystem::path
        scratch_root;  // each job's downloads and render go to a folder under it; empty: TMPDIR
    // An mp4 longer than segment_threshold seconds renders in segments of segment_seconds that any
    // worker may take (worker/segmented_job.hpp); 0 = never.
    double segment_threshold = 0;
    double segment_seconds = 60;
};

// What running jobs needs. Everything must outlive the runners and pools that use it.
struct WorkerServices {
    queue::JobQueue& queue;
    store::Store& store;
    blob::BlobStore& blobs;
    queue::EventBus* events = nullptr;  // null: nothing is published
    cache::Cache* responses = nullptr;  // the API's response cache: job tags are dropped on each change
};

enum class JobOutcome {
    done,         // rendered and completed
    cached,       // completed with the outputs of an identical earlier job, no render
    retried,      // failed, queued again after a backoff
    failed,       // failed for good
    canceled,     // canceled by a user while it ran
    lost,         // the lease was taken over, or the store refused the final write (the lease expires)
    handed_back,  // the worker is shutting down; the job is queued again without spending an attempt
};
const char* outcome_name(JobOutcome outcome);

// Whether a failed render may be retried: a network or disk hiccup may pass; the user's mistakes are final.
queue::Retry retry_for(const Error& error);

struct JobReport {
    JobOutcome outcome = JobOutcome::failed;
    long frames = 0;            // frames rendered (0 without a render)
    double render_seconds = 0;  // wall time of the render itself
    std::string error;          // why it failed, when it did
};

// Runs `leased` (just returned by queue.lease()). `shutdown` set to true stops a render in progress and
// hands the job back to the queue.
JobReport run_job(const WorkerServices& services, const WorkerOptions& options, const store::Job& leased,
                  const std::atomic<bool>& shutdown);

}  // namespace vidgen::worker
