#include <fmt/format.h>

#include <cmath>
#include <thread>

#include "store/detail/sqlite_schema.hpp"
#include "store/detail/sqlite_store.hpp"

namespace vidgen::store::detail {

namespace {

// Why a lease-checked update changed nothing: the job is gone, canceled, or leased by someone else.
std::unexpected<Error> lease_failure(Connection& c, const Lease& lease) {
    auto status = select_one<std::string>(
        c, "job", "SELECT status FROM jobs WHERE id = ?1", [](const Statement& row) { return row.text(0); },
        lease.job_id);
    if (!status) return std::unexpected(status.error());
    if (*status == "canceled") return fail(Code::canceled, "job " + lease.job_id + " was canceled");
    return fail(Code::not_found, fmt::format("job {}: lease of {} attempt {} is not held", lease.job_id,
                                             lease.worker, lease.attempt));
}

// Runs `sql` whose WHERE clause checks ?1 job id, ?2 worker, ?3 attempt and status rendering; `extra`
// binds ?4 onwards. Fails with lease_failure() when no row matched.
template <typename... Extra>
Result<void> update_leased(Connection& c, const Lease& lease, std::string_view sql, const Extra&... extra) {
    auto stmt = c.prepare(sql);
    if (!stmt) return std::unexpected(stmt.error());
    if (auto ok = stmt->bind(lease.job_id, lease.worker, lease.attempt, extra...).run(); !ok) return ok;
    if (stmt->changes() == 1) return {};
    return lease_failure(c, lease);
}

constexpr const char* kLeaseHeld =
    " WHERE id = ?1 AND lease_owner = ?2 AND attempts = ?3 AND status = 'rendering'";

Result<void> insert_output(Connection& c, const Lease& lease, const Output& output, TimeMs now) {
    auto stmt = c.prepare(
        "INSERT INTO outputs (job_id, content_key, size, duration, format, created) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!stmt) return std::unexpected(stmt.error());
    return stmt->bind(lease.job_id, output.content_key, output.size, output.duration, output.format, now)
        .run();
}

// The fair pick: each tenant's best ready job (highest priority, then oldest) is one probe of
// jobs_tenant_ready; among those heads the highest priority wins, then the tenant with the fewest jobs
// rendering, then the one leased least recently (jobs_tenant_started), then the oldest head. The last
// key makes tenants take turns even when a single worker finishes each job before leasing the next (no
// tenant has anything rendering then), so one tenant's batch never holds back everyone else's jobs.
constexpr const char* kFairPick =
    "SELECT h.job_id FROM (SELECT t.id AS tenant_id, (SELECT j.id FROM jobs j WHERE j.tenant_id = t.id "
    "AND j.status = 'queued' AND j.not_before <= ?1 ORDER BY j.priority DESC, j.created, j.id LIMIT 1) "
    "AS job_id FROM tenants t) h JOIN jobs q ON q.id = h.job_id ORDER BY q.priority DESC, (SELECT count(*) "
    "FROM jobs r WHERE r.tenant_id = h.tenant_id AND r.status = 'rendering'), (SELECT max(s.started) FROM "
    "jobs s WHERE s.tenant_id = h.tenant_id), q.created, q.id LIMIT 1";

}  // namespace

Result<std::optional<Job>> SqliteStore::lease_next_job(std::string_view worker, double lease_seconds,
                                                       TimeMs now) {
    static const std::string lease_sql = fmt::format(
        "UPDATE jobs SET status = 'rendering', attempts = attempts + 1, lease_owner = ?2, lease_expires = "
        "?3, progress = 0, started = ?1, updated = ?1 WHERE id = ({}) RETURNING {}",
        kFairPick, kJobColumns);
    auto expiry = now + static_cast<TimeMs>(std::llround(lease_seconds * 1000));
    return write([&](Connection& c) -> Result<std::optional<Job>> {
        auto expired = c.prepare(
            "UPDATE jobs SET status = 'queued', lease_owner = '', lease_expires = 0, updated = ?1 "
            "WHERE status = 'rendering' AND lease_expires <= ?1");
        if (!expired) return std::unexpected(expired.error());
        if (auto ok = expired->bind(now).run(); !ok) return std::unexpected(ok.error());
        auto leased = select_one<Job>(c, "job", lease_sql, job_row, now, worker, expiry);
        if (leased) return std::optional<Job>(std::move(*leased));
        if (leased.error().code == Code::not_found) return std::optional<Job>();
        return std::unexpected(leased.error());
    });
}

Result<void> SqliteStore::heartbeat(const Lease& lease, TimeMs new_expiry, double progress) {
    static const std::string sql =
        std::string("UPDATE jobs SET lease_expires = ?4, progress = ?5") + kLeaseHeld;
    return write([&](Connection& c) { return update_leased(c, lease, sql, new_expiry, progress); });
}

Result<void> SqliteStore::complete_job(const Lease& lease, const std::vector<Output>& outputs, TimeMs now) {
    static const std::string sql =
        std::string(
            "UPDATE jobs SET status = 'done', progress = 1, lease_expires = 0, error = '', "
            "finished = ?4, updated = ?4") +
        kLeaseHeld;
    return write([&](Connection& c) -> Result<void> {
        if (auto ok = update_leased(c, lease, sql, now); !ok) return ok;
        for (const auto& output : outputs) {
            if (auto ok = insert_output(c, lease, output, now); !ok) return ok;
        }
        return {};
    });
}

Result<void> SqliteStore::fail_job(const Lease& lease, std::string_view error, TimeMs now) {
    static const std::string sql =
        std::string(
            "UPDATE jobs SET status = 'failed', lease_expires = 0, error = ?4, finished = ?5, updated = ?5") +
        kLeaseHeld;
    return write([&](Connection& c) { return update_leased(c, lease, sql, error, now); });
}

Result<void> SqliteStore::requeue_with_backoff(const Lease& lease, std::string_view error, TimeMs not_before,
                                               TimeMs now) {
    static const std::string sql =
        std::string(
            "UPDATE jobs SET status = 'queued', lease_owner = '', lease_expires = 0, error = ?4, "
            "not_before = ?5, updated = ?6") +
        kLeaseHeld;
    return write([&](Connection& c) { return update_leased(c, lease, sql, error, not_before, now); });
}

Result<void> SqliteStore::release_job(const Lease& lease, TimeMs now) {
    static const std::string sql = std::string(
                                       "UPDATE jobs SET status = 'queued', attempts = attempts - 1, "
                                       "lease_owner = '', lease_expires = 0, "
                                       "progress = 0, not_before = 0, updated = ?4") +
                                   kLeaseHeld;
    return write([&](Connection& c) { return update_leased(c, lease, sql, now); });
}

Result<void> SqliteStore::set_render_key(const Lease& lease, std::string_view render_key) {
    static const std::string sql = std::string("UPDATE jobs SET render_key = ?4") + kLeaseHeld;
    return write([&](Connection& c) { return update_leased(c, lease, sql, render_key); });
}

bool SqliteStore::wait_for_jobs(std::chrono::milliseconds max_wait) {
    std::this_thread::sleep_for(max_wait);
    return false;
}

Result<Job> SqliteStore::cancel_job(std::string_view tenant_id, std::string_view id, TimeMs now) {
    static const std::string select_sql =
        fmt::format("SELECT {} FROM jobs WHERE id = ?1 AND tenant_id = ?2", kJobColumns);
    return write([&](Connection& c) -> Result<Job> {
        auto stmt = c.prepare(
            "UPDATE jobs SET status = 'canceled', lease_expires = 0, finished = ?3, updated = ?3 "
            "WHERE (id = ?1 OR parent_id = ?1) AND tenant_id = ?2 AND status IN ('queued', 'rendering')");
        if (!stmt) return std::unexpected(stmt.error());
        if (auto ok = stmt->bind(id, tenant_id, now).run(); !ok) return std::unexpected(ok.error());
        return select_one<Job>(c, "job", select_sql, job_row, id, tenant_id);
    });
}

}  // namespace vidgen::store::detail
