// The records vidgen keeps: plain value structs shared by every Store implementation.
// Times are Unix milliseconds (TimeMs); 0 means "not yet". Ids are opaque strings the store assigns
// when a record is created with an empty id. Value types; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace vidgen::store {

using TimeMs = std::int64_t;

struct Tenant {
    std::string id;
    std::string name;  // unique
    TimeMs created = 0;
};

struct ApiKey {
    std::string id;
    std::string tenant_id;
    std::string key_hash;  // lower-case hex SHA-256 of the key; the key itself is never stored
    std::string label;
    bool admin = false;
    TimeMs created = 0;
    TimeMs revoked = 0;
};

// One version of a template. Updating a template adds a version; old versions stay readable.
struct Template {
    std::string id;
    std::string tenant_id;
    int version = 0;
    std::string name;
    std::string spec_json;
    TimeMs created = 0;  // when this version was written
    TimeMs deleted = 0;  // soft delete of the whole template
};

struct Asset {
    std::string id;
    std::string tenant_id;
    std::string content_key;  // blob store key
    std::int64_t size = 0;
    std::string content_type;
    std::string name;
    TimeMs created = 0;
};

enum class JobStatus { queued, rendering, done, failed, canceled };
const char* job_status_name(JobStatus status);
Result<JobStatus> parse_job_status(std::string_view name);

struct Job {
    std::string id;
    std::string tenant_id;
    std::string template_id;  // empty for an inline spec
    int template_version = 0;
    std::string spec_json;  // inline spec; empty when a template is used
    std::string data_json;
    std::string webhook_url;
    JobStatus status = JobStatus::queued;
    int priority = 0;  // higher first
    double progress = 0;
    int attempts = 0;  // leases taken so far
    std::string lease_owner;
    TimeMs lease_expires = 0;
    TimeMs not_before = 0;  // not leased before this time (retry backoff)
    std::string error;
    std::string idempotency_key;  // unique per tenant when not empty
    std::string batch_id;
    std::string render_key;  // hash of normalised spec, data and source contents; empty when unknown
    // A segment of a segment-parallel render: the job it belongs to and the frames it renders. Segments
    // are the worker's own records: tenant listings and counts leave them out.
    std::string parent_id;  // empty for a job of its own
    std::int64_t segment_first = 0;
    std::int64_t segment_frames = 0;
    TimeMs created = 0;
    TimeMs updated = 0;
    TimeMs started = 0;   // last lease
    TimeMs finished = 0;  // done, failed or canceled
};

// Proof of a lease: only the holder of the current attempt may heartbeat, complete, fail or requeue.
struct Lease {
    std::string job_id;
    std::string worker;
    int attempt = 0;
};
inline Lease lease_of(const Job& job) {
    return {job.id, job.lease_owner, job.attempts};
}

struct StatusCounts {
    std::int64_t queued = 0, rendering = 0, done = 0, failed = 0, canceled = 0;
    std::int64_t total() const { return queued + rendering + done + failed + canceled; }
    void add(JobStatus status, std::int64_t count);
};

struct Batch {
    std::string id;
    std::string tenant_id;
    std::string template_id;
    int template_version = 0;
    TimeMs created = 0;
    StatusCounts counts;  // filled on read
};

struct Output {
    std::string job_id;
    std::string content_key;
    std::int64_t size = 0;
    double duration = 0;  // seconds
    std::string format;   // mp4, webm, gif, png, ...
    TimeMs created = 0;
};

struct WebhookDelivery {
    std::string id;
    std::string tenant_id;
    std::string job_id;
    std::string url;
    std::string event;
    int attempt = 0;
    int status_code = 0;  // HTTP status, 0 when no answer
    std::string error;
    TimeMs created = 0;
};

// Filters for listing a tenant's jobs, newest first by (created, id). Empty/zero fields do not filter.
struct JobQuery {
    std::string tenant_id;
    std::optional<JobStatus> status;
    std::string template_id;
    TimeMs created_from = 0;  // inclusive
    TimeMs created_to = 0;    // exclusive
    std::string cursor;       // from a previous JobPage; empty for the first page
    std::string parent_id;    // empty: jobs of their own; set: that job's segments
    int limit = 50;
};

struct JobPage {
    std::vector<Job> jobs;
    std::string next_cursor;  // empty on the last page
};

// The outcome of an insert with an idempotency key: the job created now, or the one created before.
struct Inserted {
    Job job;
    bool created = true;
};

}  // namespace vidgen::store
