#include "store/detail/pg_schema.hpp"
#include "store/detail/pg_store.hpp"

namespace vidgen::store::detail {

namespace {

// The WHERE terms imply those of the jobs_webhook_ended index, so PostgreSQL reads only ended jobs with a
// webhook; each job's deliveries come from webhook_deliveries_job.
constexpr const char* kOwedWebhooks =
    "SELECT j.tenant_id, j.id, j.webhook_url, 'job.' || j.status, count(d.id), "
    "coalesce(max(d.created), j.finished) AS latest "
    "FROM jobs j LEFT JOIN webhook_deliveries d ON d.job_id = j.id AND d.event = 'job.' || j.status "
    "WHERE j.webhook_url <> '' AND j.status IN ('done', 'failed', 'canceled') AND j.finished >= $1 "
    "AND j.parent_id IS NULL GROUP BY j.finished, j.id "
    "HAVING count(d.id) < $3 AND NOT coalesce(bool_or(d.status_code BETWEEN 200 AND 299), false) "
    "AND coalesce(max(d.created), j.finished) <= $2 "
    "ORDER BY latest, j.id LIMIT $4";

WebhookDelivery owed_row(const PgRow& row) {
    return {.tenant_id = row.text(0),
            .job_id = row.text(1),
            .url = row.text(2),
            .event = row.text(3),
            .attempt = static_cast<int>(row.int64(4)),
            .created = row.int64(5)};
}

}  // namespace

Result<std::vector<WebhookDelivery>> PgStore::list_owed_webhooks(TimeMs finished_from, TimeMs quiet_before,
                                                                 int max_attempts, int limit) {
    return run([&](PgConnection& c) {
        return query_all<WebhookDelivery>(c, kOwedWebhooks, owed_row, finished_from, quiet_before,
                                          max_attempts, limit);
    });
}

}  // namespace vidgen::store::detail
