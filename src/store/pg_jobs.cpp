#include <fmt/format.h>

#include "store/detail/job_cursor.hpp"
#include "store/detail/pg_schema.hpp"
#include "store/detail/pg_store.hpp"

namespace vidgen::store::detail {

namespace {

Result<Job> existing_job(PgConnection& c, const Job& job) {
    static const std::string sql =
        fmt::format("SELECT {} FROM jobs WHERE tenant_id = $1 AND idempotency_key = $2", kJobColumns);
    return query_one<Job>(c, "job", sql, read_job, job.tenant_id, job.idempotency_key);
}

// true when inserted, false when the tenant already has a job with this idempotency key. An inserted job
// wakes the listeners when its transaction commits.
Result<bool> bind_and_insert(PgConnection& c, const Job& job) {
    static const std::string sql = fmt::format(
        "INSERT INTO jobs ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
        "$16, "
        "$17, $18, $19, $20, $21, $22, $23, $24, $25) ON CONFLICT (tenant_id, idempotency_key) DO NOTHING "
        "RETURNING pg_notify('vidgen_jobs', '')",
        kJobColumns);
    auto changed = execute(c, sql, job.id, job.tenant_id, PgOrNull{job.template_id}, job.template_version,
                           job.spec_json, job.data_json, job.webhook_url, job_status_name(job.status),
                           job.priority, job.progress, job.attempts, job.lease_owner, job.lease_expires,
                           job.not_before, job.error, PgOrNull{job.idempotency_key}, PgOrNull{job.batch_id},
                           job.created, job.updated, job.started, job.finished, PgOrNull{job.render_key},
                           PgOrNull{job.parent_id}, job.segment_first, job.segment_frames);
    if (!changed) return std::unexpected(changed.error());
    return *changed == 1;
}

Result<StatusCounts> count_by_status(PgConnection& c, std::string_view sql, std::string_view key) {
    auto rows = query_all<std::pair<std::string, std::int64_t>>(
        c, sql,
        [](const PgRow& row) {
            return std::pair{row.text(0), row.int64(1)};
        },
        key);
    if (!rows) return std::unexpected(rows.error());
    StatusCounts counts;
    for (const auto& [name, count] : *rows)
        counts.add(parse_job_status(name).value_or(JobStatus::failed), count);
    return counts;
}

}  // namespace

Result<int> pg_resolve_template(PgConnection& c, const Job& job) {
    auto version = [](const PgRow& row) { return static_cast<int>(row.int64(0)); };
    if (job.template_version == 0) {
        return query_one<int>(
            c, "template",
            "SELECT latest_version FROM templates WHERE id = $1 AND tenant_id = $2 AND deleted = 0", version,
            job.template_id, job.tenant_id);
    }
    return query_one<int>(
        c, "template",
        "SELECT v.version FROM templates t JOIN template_versions v ON v.template_id = t.id "
        "WHERE t.id = $1 AND t.tenant_id = $2 AND v.version = $3",
        version, job.template_id, job.tenant_id, job.template_version);
}

Result<void> pg_check_batch(PgConnection& c, const Job& job) {
    auto found = query_one<int>(
        c, "batch", "SELECT 1 FROM batches WHERE id = $1 AND tenant_id = $2", [](const PgRow&) { return 1; },
        job.batch_id, job.tenant_id);
    if (!found) return std::unexpected(found.error());
    return {};
}

Result<void> pg_notify_jobs(PgConnection& c) {
    return c.exec("NOTIFY vidgen_jobs");
}

Result<Inserted> pg_insert_job_row(PgConnection& c, Job job) {
    if (job.id.empty()) job.id = new_id("job");
    if (job.updated == 0) job.updated = job.created;
    if (!job.template_id.empty()) {
        auto version = pg_resolve_template(c, job);
        if (!version) return std::unexpected(version.error());
        job.template_version = *version;
    }
    if (!job.batch_id.empty()) {
        if (auto ok = pg_check_batch(c, job); !ok) return std::unexpected(ok.error());
    }
    auto inserted = bind_and_insert(c, job);
    if (!inserted) return std::unexpected(inserted.error());
    if (*inserted) return Inserted{std::move(job), true};
    auto earlier = existing_job(c, job);
    if (!earlier) return std::unexpected(earlier.error());
    return Inserted{std::move(*earlier), false};
}

Result<std::vector<Inserted>> pg_insert_jobs(PgConnection& c, const std::vector<Job>& jobs) {
    if (jobs.size() >= kCopyThreshold) return pg_copy_jobs(c, jobs);
    std::vector<Inserted> results;
    results.reserve(jobs.size());
    for (const auto& job : jobs) {
        auto one = pg_insert_job_row(c, job);
        if (!one) return std::unexpected(one.error());
        results.push_back(std::move(*one));
    }
    return results;
}

// No transaction: the checks only read, and the insert is one statement.
Result<Inserted> PgStore::insert_job(Job job) {
    return run([&](PgConnection& c) { return pg_insert_job_row(c, job); });
}

Result<std::vector<Inserted>> PgStore::insert_jobs(std::vector<Job> jobs) {
    return transact([&](PgConnection& c) -> Result<std::vector<Inserted>> {
        auto inserted = pg_insert_jobs(c, jobs);
        if (!inserted) return inserted;
        if (auto ok = pg_notify_jobs(c); !ok) return std::unexpected(ok.error());
        return inserted;
    });
}

Result<Job> PgStore::get_job(std::string_view tenant_id, std::string_view id) {
    static const std::string sql =
        fmt::format("SELECT {} FROM jobs WHERE id = $1 AND tenant_id = $2", kJobColumns);
    return run([&](PgConnection& c) { return query_one<Job>(c, "job", sql, read_job, id, tenant_id); });
}

Result<JobPage> PgStore::list_jobs(const JobQuery& q) {
    static const std::string sql = fmt::format(
        "SELECT {} FROM jobs WHERE tenant_id = $1 AND ($2::text IS NULL OR status = $2::text) "
        "AND ($3::text IS NULL OR template_id = $3::text) AND ($4::bigint IS NULL OR created >= $4::bigint) "
        "AND ($5::bigint IS NULL OR created < $5::bigint) AND ($6::bigint IS NULL OR created < $6::bigint "
        "OR (created = $6::bigint AND id < $7::text)) AND coalesce(parent_id, '') = $9::text "
        "ORDER BY created DESC, id DESC LIMIT $8",
        kJobColumns);
    std::optional<std::int64_t> after_created;
    std::string after_id;
    if (!q.cursor.empty()) {
        auto cursor = parse_cursor(q.cursor);
        if (!cursor) return std::unexpected(cursor.error());
        std::tie(after_created, after_id) = *cursor;
    }
    auto opt = [](TimeMs t) { return t == 0 ? std::nullopt : std::optional<std::int64_t>(t); };
    std::string_view status = q.status ? job_status_name(*q.status) : "";
    int limit = std::max(q.limit, 1);
    return run([&](PgConnection& c) -> Result<JobPage> {
        auto jobs = query_all<Job>(c, sql, read_job, q.tenant_id, PgOrNull{status}, PgOrNull{q.template_id},
                                   opt(q.created_from), opt(q.created_to), after_created, after_id, limit + 1,
                                   q.parent_id);
        if (!jobs) return std::unexpected(jobs.error());
        JobPage page{std::move(*jobs), {}};
        if (static_cast<int>(page.jobs.size()) > limit) {
            page.jobs.resize(static_cast<std::size_t>(limit));
            page.next_cursor = cursor_of(page.jobs.back());
        }
        return page;
    });
}

Result<StatusCounts> PgStore::count_jobs(std::string_view tenant_id) {
    return run([&](PgConnection& c) {
        return count_by_status(
            c, "SELECT status, count(*) FROM jobs WHERE tenant_id = $1 AND parent_id IS NULL GROUP BY status",
            tenant_id);
    });
}

Result<Batch> PgStore::create_batch(Batch batch, std::vector<Job> jobs) {
    if (batch.id.empty()) batch.id = new_id("bat");
    for (auto& job : jobs) {
        job.batch_id = batch.id;
        job.tenant_id = batch.tenant_id;
    }
    return transact([&](PgConnection& c) -> Result<Batch> {
        auto ok = execute(c,
                          "INSERT INTO batches (id, tenant_id, template_id, template_version, created) "
                          "VALUES ($1, $2, $3, $4, $5)",
                          batch.id, batch.tenant_id, PgOrNull{batch.template_id}, batch.template_version,
                          batch.created);
        if (!ok) return std::unexpected(ok.error());
        auto inserted = pg_insert_jobs(c, jobs);
        if (!inserted) return std::unexpected(inserted.error());
        if (auto notified = pg_notify_jobs(c); !notified) return std::unexpected(notified.error());
        Batch created = batch;
        for (const auto& one : *inserted) created.counts.add(one.job.status, 1);
        return created;
    });
}

Result<Batch> PgStore::get_batch(std::string_view tenant_id, std::string_view id) {
    return run([&](PgConnection& c) -> Result<Batch> {
        auto batch = query_one<Batch>(
            c, "batch",
            "SELECT id, tenant_id, coalesce(template_id, ''), template_version, created FROM batches "
            "WHERE id = $1 AND tenant_id = $2",
            [](const PgRow& row) {
                return Batch{row.text(0),  row.text(1), row.text(2), static_cast<int>(row.int64(3)),
                             row.int64(4), {}};
            },
            id, tenant_id);
        if (!batch) return batch;
        auto counts =
            count_by_status(c, "SELECT status, count(*) FROM jobs WHERE batch_id = $1 GROUP BY status", id);
        if (!counts) return std::unexpected(counts.error());
        batch->counts = *counts;
        return batch;
    });
}

}  // namespace vidgen::store::detail
