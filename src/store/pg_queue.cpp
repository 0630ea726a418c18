#include <fmt/format.h>

#include <array>
#include <cmath>

#include "store/detail/pg_schema.hpp"
#include "store/detail/pg_store.hpp"

namespace vidgen::store::detail {

namespace {

// Why a lease-checked update changed nothing: the job is gone, canceled, or leased by someone else.
std::unexpected<Error> lease_failure(PgConnection& c, const Lease& lease) {
    auto status = query_one<std::string>(
        c, "job", "SELECT status FROM jobs WHERE id = $1", [](const PgRow& row) { return row.text(0); },
        lease.job_id);
    if (!status) return std::unexpected(status.error());
    if (*status == "canceled") return fail(Code::canceled, "job " + lease.job_id + " was canceled");
    return fail(Code::not_found, fmt::format("job {}: lease of {} attempt {} is not held", lease.job_id,
                                             lease.worker, lease.attempt));
}

// Runs `sql` whose WHERE clause checks $1 job id, $2 worker, $3 attempt and status rendering; `extra`
// binds $4 onwards. Fails with lease_failure() when no row matched. Concurrent callers queue on the row
// lock, and each sees the row as the one before it left it.
template <typename... Extra>
Result<void> update_leased(PgConnection& c, const Lease& lease, std::string_view sql, const Extra&... extra) {
    auto changed = execute(c, sql, lease.job_id, lease.worker, lease.attempt, extra...);
    if (!changed) return std::unexpected(changed.error());
    if (*changed == 1) return {};
    return lease_failure(c, lease);
}

constexpr const char* kLeaseHeld =
    " WHERE id = $1 AND lease_owner = $2 AND attempts = $3 AND status = 'rendering'";

// Run first in the implicit transaction of a lease or a heartbeat: its commit does not wait for the WAL
// flush. What they write can be lost only to a server crash, and losing it is safe: the job is back as the
// last durable write left it (queued, or an earlier lease expiry), and the lease check refuses the worker
// that held the lost lease. A completion, a failure and an enqueue stay durable. Saves a WAL flush per
// lease and per heartbeat, which bounds a few workers' throughput on a disk with slow flushes.
constexpr std::string_view kAsyncCommit = "SELECT set_config('synchronous_commit', 'off', true)";

// Appended to an UPDATE of one job that hands it back to the queue: wakes listeners on commit.
constexpr const char* kNotifyJobs = " RETURNING pg_notify('vidgen_jobs', '')";

// The fair pick: each tenant's best ready job (highest priority, then oldest) is one probe of
// jobs_tenant_ready; the tenants are ranked by that job's priority, then by how few jobs they have
// rendering, then by how long ago they were last leased a job (jobs_tenant_started), then by the job's
// age. The last-lease key makes tenants take turns even when a single worker finishes each job before
// leasing the next. The first ranked tenant with a job nobody else holds gives its oldest one, so only the
// leased row is locked.
constexpr const char* kFairPick =
    "SELECT l.id FROM (SELECT t.id AS tenant_id, h.priority FROM tenants t CROSS JOIN LATERAL (SELECT "
    "j.priority, j.created FROM jobs j WHERE j.tenant_id = t.id AND j.status = 'queued' AND j.not_before "
    "<= $1 ORDER BY j.priority DESC, j.created, j.id LIMIT 1) h ORDER BY h.priority DESC, (SELECT count(*) "
    "FROM jobs r WHERE r.tenant_id = t.id AND r.status = 'rendering'), (SELECT max(s.started) FROM jobs s "
    "WHERE s.tenant_id = t.id), h.created, t.id) f CROSS JOIN LATERAL (SELECT j.id FROM jobs j WHERE "
    "j.tenant_id = f.tenant_id AND j.status = 'queued' AND j.not_before <= $1 AND j.priority = f.priority "
    "ORDER BY j.created, j.id LIMIT 1 FOR UPDATE SKIP LOCKED) l LIMIT 1";

}  // namespace

// Three statements in one round trip and one implicit transaction, committed without waiting for the WAL
// flush (kAsyncCommit): the sweep queues again the rendering jobs whose lease ran out, then the lease takes
// the best ready job, swept ones included. Rows another caller holds are skipped, never waited for. The
// sweep runs with one lease a second per store (claim_sweep): its range scan over every dead entry of
// jobs_leased was a third of a lease's server time, and a lease that ran out waits at most a second more.
Result<std::optional<Job>> PgStore::lease_next_job(std::string_view worker, double lease_seconds,
                                                   TimeMs now) {
    static const std::string lease_sql = fmt::format(
        "UPDATE jobs SET status = 'rendering', attempts = attempts + 1, lease_owner = $2, lease_expires = "
        "$3, progress = 0, started = $1, updated = $1 WHERE id = ({}) RETURNING {}",
        kFairPick, kJobColumns);
    constexpr std::string_view kSweep =
        "UPDATE jobs SET status = 'queued', lease_owner = '', lease_expires = 0, updated = $1 "
        "WHERE id IN (SELECT id FROM jobs WHERE status = 'rendering' AND lease_expires <= $1 "
        "FOR UPDATE SKIP LOCKED)";
    auto expiry = now + static_cast<TimeMs>(std::llround(lease_seconds * 1000));
    const bool sweep = claim_sweep(now);
    return run([&](PgConnection& c) -> Result<std::optional<Job>> {
        auto results = sweep ? c.pipeline(std::array{PgStatement{kAsyncCommit, PgParams()},
                                                     PgStatement{kSweep, PgParams(now)},
                                                     PgStatement{lease_sql, PgParams(now, worker, expiry)}})
                             : c.pipeline(std::array{PgStatement{kAsyncCommit, PgParams()},
                                                     PgStatement{lease_sql, PgParams(now, worker, expiry)}});
        if (!results) return std::unexpected(results.error());
        const PgResult& leased = results->back();
        if (leased.rows() == 0) return std::optional<Job>();
        return std::optional<Job>(read_job(PgRow{leased, 0}));
    });
}

// The extension and kAsyncCommit in one round trip and one implicit transaction.
Result<void> PgStore::heartbeat(const Lease& lease, TimeMs new_expiry, double progress) {
    static const std::string sql =
        std::string("UPDATE jobs SET lease_expires = $4, progress = $5") + kLeaseHeld;
    return run([&](PgConnection& c) -> Result<void> {
        const PgStatement statements[] = {
            {kAsyncCommit, PgParams()},
            {sql, PgParams(lease.job_id, lease.worker, lease.attempt, new_expiry, progress)}};
        auto results = c.pipeline(statements);
        if (!results) return std::unexpected(results.error());
        if ((*results)[1].affected() == 1) return {};
        return lease_failure(c, lease);
    });
}

// One statement: the job's update and its outputs' inserts (from parallel arrays) commit together.
Result<void> PgStore::complete_job(const Lease& lease, const std::vector<Output>& outputs, TimeMs now) {
    static const std::string sql =
        std::string(
            "WITH done AS (UPDATE jobs SET status = 'done', progress = 1, lease_expires = 0, "
            "error = '', finished = $4, updated = $4") +
        kLeaseHeld +
        " RETURNING id), written AS (INSERT INTO outputs (job_id, content_key, size, "
        "duration, format, created) SELECT done.id, o.key, o.size, o.duration, o.format, "
        "$4 FROM done, unnest($5::text[], $6::bigint[], $7::float8[], $8::text[]) "
        "AS o(key, size, duration, format) RETURNING 1) SELECT count(*) FROM done";
    std::vector<std::string> keys, sizes, durations, formats;
    for (const auto& output : outputs) {
        keys.push_back(output.content_key);
        sizes.push_back(std::to_string(output.size));
        durations.push_back(fmt::format("{}", output.duration));
        formats.push_back(output.format);
    }
    return run([&](PgConnection& c) -> Result<void> {
        auto done = query_one<std::int64_t>(
            c, "job", sql, [](const PgRow& row) { return row.int64(0); }, lease.job_id, lease.worker,
            lease.attempt, now, keys, sizes, durations, formats);
        if (!done) return std::unexpected(done.error());
        if (*done == 1) return {};
        return lease_failure(c, lease);
    });
}

Result<void> PgStore::fail_job(const Lease& lease, std::string_view error, TimeMs now) {
    static const std::string sql =
        std::string(
            "UPDATE jobs SET status = 'failed', lease_expires = 0, error = $4, finished = $5, updated = $5") +
        kLeaseHeld;
    return run([&](PgConnection& c) { return update_leased(c, lease, sql, error, now); });
}

Result<void> PgStore::requeue_with_backoff(const Lease& lease, std::string_view error, TimeMs not_before,
                                           TimeMs now) {
    static const std::string sql =
        std::string(
            "UPDATE jobs SET status = 'queued', lease_owner = '', lease_expires = 0, "
            "error = $4, not_before = $5, updated = $6") +
        kLeaseHeld + kNotifyJobs;
    return run([&](PgConnection& c) { return update_leased(c, lease, sql, error, not_before, now); });
}

Result<void> PgStore::release_job(const Lease& lease, TimeMs now) {
    static const std::string sql =
        std::string(
            "UPDATE jobs SET status = 'queued', attempts = attempts - 1, lease_owner = '', "
            "lease_expires = 0, progress = 0, not_before = 0, updated = $4") +
        kLeaseHeld + kNotifyJobs;
    return run([&](PgConnection& c) { return update_leased(c, lease, sql, now); });
}

Result<void> PgStore::set_render_key(const Lease& lease, std::string_view render_key) {
    static const std::string sql = std::string("UPDATE jobs SET render_key = $4") + kLeaseHeld;
    return run([&](PgConnection& c) { return update_leased(c, lease, sql, render_key); });
}

bool PgStore::wait_for_jobs(std::chrono::milliseconds max_wait) {
    return listener_.wait(max_wait);
}

Result<Job> PgStore::cancel_job(std::string_view tenant_id, std::string_view id, TimeMs now) {
    static const std::string select_sql =
        fmt::format("SELECT {} FROM jobs WHERE id = $1 AND tenant_id = $2", kJobColumns);
    return transact([&](PgConnection& c) -> Result<Job> {
        auto changed = execute(
            c,
            "UPDATE jobs SET status = 'canceled', lease_expires = 0, finished = $3, updated = $3 "
            "WHERE (id = $1 OR parent_id = $1) AND tenant_id = $2 AND status IN ('queued', 'rendering')",
            id, tenant_id, now);
        if (!changed) return std::unexpected(changed.error());
        return query_one<Job>(c, "job", select_sql, read_job, id, tenant_id);
    });
}

}  // namespace vidgen::store::detail
