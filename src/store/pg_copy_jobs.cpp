#include <fmt/format.h>

#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "store/detail/pg_schema.hpp"
#include "store/detail/pg_store.hpp"

namespace vidgen::store::detail {

namespace {

// Resolves each distinct template (and checks each distinct batch) once for the whole load, then fills
// in what pg_insert_job_row() would: the id, the updated time and the template version.
class JobPreparer {
  public:
    explicit JobPreparer(PgConnection& c) : c_(c) {}

    Result<Job> prepare(Job job) {
        if (job.id.empty()) job.id = new_id("job");
        if (job.updated == 0) job.updated = job.created;
        if (!job.template_id.empty()) {
            auto key = std::tuple{job.tenant_id, job.template_id, job.template_version};
            auto found = templates_.find(key);
            if (found == templates_.end()) {
                auto version = pg_resolve_template(c_, job);
                if (!version) return std::unexpected(version.error());
                found = templates_.emplace(key, *version).first;
            }
            job.template_version = found->second;
        }
        if (!job.batch_id.empty() && !batches_.contains({job.tenant_id, job.batch_id})) {
            if (auto ok = pg_check_batch(c_, job); !ok) return std::unexpected(ok.error());
            batches_.insert({job.tenant_id, job.batch_id});
        }
        return job;
    }

  private:
    PgConnection& c_;
    std::map<std::tuple<std::string, std::string, int>, int> templates_;
    std::set<std::pair<std::string, std::string>> batches_;
};

void append_text(std::string& out, std::string_view text) {
    append_copy_field(out, text);
    out += '\t';
}

void append_or_null(std::string& out, std::string_view text) {
    if (text.empty()) {
        out += "\\N\t";
    } else {
        append_text(out, text);
    }
}

// One line of COPY text in the order "n, " + kJobColumns.
void append_row(std::string& out, std::size_t n, const Job& j) {
    out += fmt::format("{}\t", n);
    append_text(out, j.id);
    append_text(out, j.tenant_id);
    append_or_null(out, j.template_id);
    out += fmt::format("{}\t", j.template_version);
    append_text(out, j.spec_json);
    append_text(out, j.data_json);
    append_text(out, j.webhook_url);
    out += fmt::format("{}\t{}\t{}\t{}\t", job_status_name(j.status), j.priority, j.progress, j.attempts);
    append_text(out, j.lease_owner);
    out += fmt::format("{}\t{}\t", j.lease_expires, j.not_before);
    append_text(out, j.error);
    append_or_null(out, j.idempotency_key);
    append_or_null(out, j.batch_id);
    out += fmt::format("{}\t{}\t{}\t{}\t", j.created, j.updated, j.started, j.finished);
    append_or_null(out, j.render_key);
    append_or_null(out, j.parent_id);
    out += fmt::format("{}\t{}\n", j.segment_first, j.segment_frames);
}

// The earlier job each input row lost its idempotency key to, by the row's position.
Result<std::unordered_map<std::int64_t, Job>> earlier_jobs(PgConnection& c) {
    static const std::string sql = fmt::format(
        "SELECT j.*, i.n FROM jobs_in i JOIN LATERAL (SELECT {} FROM jobs WHERE tenant_id = i.tenant_id "
        "AND idempotency_key = i.idempotency_key) j ON true WHERE j.id <> i.id",
        kJobColumns);
    auto rows = c.query(sql, PgParams());
    if (!rows) return std::unexpected(rows.error());
    constexpr int kPositionColumn = 25;  // after the job's own columns
    std::unordered_map<std::int64_t, Job> earlier;
    for (int i = 0; i < rows->rows(); ++i)
        earlier.emplace(rows->int64(i, kPositionColumn), read_job(PgRow{*rows, i}));
    return earlier;
}

// Loads the rows into the session's staging table, then moves them into jobs in input order.
Result<std::int64_t> copy_and_insert(PgConnection& c, std::string_view rows) {
    static const std::string copy_sql = fmt::format("COPY jobs_in (n, {}) FROM STDIN", kJobColumns);
    static const std::string insert_sql = fmt::format(
        "INSERT INTO jobs ({0}) SELECT {0} FROM jobs_in ORDER BY n "
        "ON CONFLICT (tenant_id, idempotency_key) DO NOTHING",
        kJobColumns);
    auto staged =
        c.exec("CREATE TEMP TABLE IF NOT EXISTS jobs_in (n BIGINT, LIKE jobs) ON COMMIT DELETE ROWS");
    if (!staged) return std::unexpected(staged.error());
    if (auto ok = c.copy_in(copy_sql.c_str(), rows); !ok) return std::unexpected(ok.error());
    return execute(c, insert_sql);
}

}  // namespace

Result<std::vector<Inserted>> pg_copy_jobs(PgConnection& c, const std::vector<Job>& jobs) {
    JobPreparer preparer(c);
    std::vector<Inserted> results;
    results.reserve(jobs.size());
    std::string rows;
    for (const auto& job : jobs) {
        auto prepared = preparer.prepare(job);
        if (!prepared) return std::unexpected(prepared.error());
        append_row(rows, results.size(), *prepared);
        results.push_back({std::move(*prepared), true});
    }
    auto inserted = copy_and_insert(c, rows);
    if (!inserted) return std::unexpected(inserted.error());
    if (*inserted == static_cast<std::int64_t>(jobs.size())) return results;
    auto earlier = earlier_jobs(c);
    if (!earlier) return std::unexpected(earlier.error());
    for (auto& [n, job] : *earlier) results[static_cast<std::size_t>(n)] = {std::move(job), false};
    return results;
}

}  // namespace vidgen::store::detail
