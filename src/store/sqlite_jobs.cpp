#include <fmt/format.h>

#include "store/detail/job_cursor.hpp"
#include "store/detail/sqlite_schema.hpp"
#include "store/detail/sqlite_store.hpp"

namespace vidgen::store::detail {

namespace {

// The template version a job names, checked against its tenant; version 0 means the latest live one.
Result<int> resolve_template(Connection& c, const Job& job) {
    if (job.template_version == 0) {
        return select_one<int>(
            c, "template",
            "SELECT latest_version FROM templates WHERE id = ?1 AND tenant_id = ?2 AND deleted = 0",
            [](const Statement& row) { return static_cast<int>(row.int64(0)); }, job.template_id,
            job.tenant_id);
    }
    return select_one<int>(
        c, "template",
        "SELECT v.version FROM templates t JOIN template_versions v ON v.template_id = t.id "
        "WHERE t.id = ?1 AND t.tenant_id = ?2 AND v.version = ?3",
        [](const Statement& row) { return static_cast<int>(row.int64(0)); }, job.template_id, job.tenant_id,
        job.template_version);
}

Result<void> check_batch(Connection& c, const Job& job) {
    auto found = select_one<int>(
        c, "batch", "SELECT 1 FROM batches WHERE id = ?1 AND tenant_id = ?2",
        [](const Statement&) { return 1; }, job.batch_id, job.tenant_id);
    if (!found) return std::unexpected(found.error());
    return {};
}

Result<Job> existing_job(Connection& c, const Job& job) {
    static const std::string sql =
        fmt::format("SELECT {} FROM jobs WHERE tenant_id = ?1 AND idempotency_key = ?2", kJobColumns);
    return select_one<Job>(c, "job", sql, job_row, job.tenant_id, job.idempotency_key);
}

// true when inserted, false when the tenant already has a job with this idempotency key.
Result<bool> bind_and_insert(Connection& c, const Job& job) {
    static const std::string sql = fmt::format(
        "INSERT INTO jobs ({}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
        "?16, "
        "?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25) ON CONFLICT (tenant_id, idempotency_key) DO NOTHING",
        kJobColumns);
    auto stmt = c.prepare(sql);
    if (!stmt) return std::unexpected(stmt.error());
    stmt->bind(job.id, job.tenant_id, OrNull{job.template_id}, job.template_version, job.spec_json,
               job.data_json, job.webhook_url, job_status_name(job.status), job.priority, job.progress,
               job.attempts, job.lease_owner, job.lease_expires, job.not_before, job.error,
               OrNull{job.idempotency_key}, OrNull{job.batch_id}, job.created, job.updated, job.started,
               job.finished, OrNull{job.render_key}, OrNull{job.parent_id}, job.segment_first,
               job.segment_frames);
    if (auto ok = stmt->run(); !ok) return std::unexpected(ok.error());
    return stmt->changes() == 1;
}

Result<StatusCounts> count_by_status(Connection& c, std::string_view sql, std::string_view key) {
    auto rows = select_all<std::pair<std::string, std::int64_t>>(
        c, sql,
        [](const Statement& row) {
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

Result<Inserted> insert_job_row(Connection& c, Job job) {
    if (job.id.empty()) job.id = new_id("job");
    if (job.updated == 0) job.updated = job.created;
    if (!job.template_id.empty()) {
        auto version = resolve_template(c, job);
        if (!version) return std::unexpected(version.error());
        job.template_version = *version;
    }
    if (!job.batch_id.empty()) {
        if (auto ok = check_batch(c, job); !ok) return std::unexpected(ok.error());
    }
    auto inserted = bind_and_insert(c, job);
    if (!inserted) return std::unexpected(inserted.error());
    if (*inserted) return Inserted{std::move(job), true};
    auto earlier = existing_job(c, job);
    if (!earlier) return std::unexpected(earlier.error());
    return Inserted{std::move(*earlier), false};
}

Result<Inserted> SqliteStore::insert_job(Job job) {
    return insert_group_.insert(std::move(job));
}

Result<std::vector<Inserted>> SqliteStore::insert_jobs(std::vector<Job> jobs) {
    return write([&](Connection& c) -> Result<std::vector<Inserted>> {
        std::vector<Inserted> results;
        results.reserve(jobs.size());
        for (auto& job : jobs) {
            auto one = insert_job_row(c, std::move(job));
            if (!one) return std::unexpected(one.error());
            results.push_back(std::move(*one));
        }
        return results;
    });
}

Result<Job> SqliteStore::get_job(std::string_view tenant_id, std::string_view id) {
    static const std::string sql =
        fmt::format("SELECT {} FROM jobs WHERE id = ?1 AND tenant_id = ?2", kJobColumns);
    return read([&](Connection& c) { return select_one<Job>(c, "job", sql, job_row, id, tenant_id); });
}

Result<JobPage> SqliteStore::list_jobs(const JobQuery& q) {
    static const std::string sql = fmt::format(
        "SELECT {} FROM jobs WHERE tenant_id = ?1 AND (?2 IS NULL OR status = ?2) "
        "AND (?3 IS NULL OR template_id = ?3) AND (?4 IS NULL OR created >= ?4) AND (?5 IS NULL OR created < "
        "?5) "
        "AND (?6 IS NULL OR created < ?6 OR (created = ?6 AND id < ?7)) AND coalesce(parent_id, '') = ?9 "
        "ORDER BY created DESC, id DESC LIMIT ?8",
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
    return read([&](Connection& c) -> Result<JobPage> {
        auto jobs = select_all<Job>(c, sql, job_row, q.tenant_id, OrNull{status}, OrNull{q.template_id},
                                    opt(q.created_from), opt(q.created_to), after_created, after_id,
                                    limit + 1, q.parent_id);
        if (!jobs) return std::unexpected(jobs.error());
        JobPage page{std::move(*jobs), {}};
        if (static_cast<int>(page.jobs.size()) > limit) {
            page.jobs.resize(static_cast<std::size_t>(limit));
            page.next_cursor = cursor_of(page.jobs.back());
        }
        return page;
    });
}

Result<StatusCounts> SqliteStore::count_jobs(std::string_view tenant_id) {
    return read([&](Connection& c) {
        return count_by_status(
            c, "SELECT status, count(*) FROM jobs WHERE tenant_id = ?1 AND parent_id IS NULL GROUP BY status",
            tenant_id);
    });
}

Result<Batch> SqliteStore::create_batch(Batch batch, std::vector<Job> jobs) {
    if (batch.id.empty()) batch.id = new_id("bat");
    return write([&](Connection& c) -> Result<Batch> {
        auto stmt = c.prepare(
            "INSERT INTO batches (id, tenant_id, template_id, template_version, created) "
            "VALUES (?1, ?2, ?3, ?4, ?5)");
        if (!stmt) return std::unexpected(stmt.error());
        stmt->bind(batch.id, batch.tenant_id, OrNull{batch.template_id}, batch.template_version,
                   batch.created);
        if (auto ok = stmt->run(); !ok) return std::unexpected(ok.error());
        for (auto& job : jobs) {
            job.batch_id = batch.id;
            job.tenant_id = batch.tenant_id;
            auto one = insert_job_row(c, std::move(job));
            if (!one) return std::unexpected(one.error());
            batch.counts.add(one->job.status, 1);
        }
        return batch;
    });
}

Result<Batch> SqliteStore::get_batch(std::string_view tenant_id, std::string_view id) {
    return read([&](Connection& c) -> Result<Batch> {
        auto batch = select_one<Batch>(
            c, "batch",
            "SELECT id, tenant_id, template_id, template_version, created FROM batches "
            "WHERE id = ?1 AND tenant_id = ?2",
            [](const Statement& row) {
                return Batch{row.text(0),  row.text(1), row.text(2), static_cast<int>(row.int64(3)),
                             row.int64(4), {}};
            },
            id, tenant_id);
        if (!batch) return batch;
        auto counts =
            count_by_status(c, "SELECT status, count(*) FROM jobs WHERE batch_id = ?1 GROUP BY status", id);
        if (!counts) return std::unexpected(counts.error());
        batch->counts = *counts;
        return batch;
    });
}

}  // namespace vidgen::store::detail
