#include "store/detail/pg_schema.hpp"

namespace vidgen::store::detail {

Tenant read_tenant(const PgRow& row) {
    return {row.text(0), row.text(1), row.int64(2)};
}

ApiKey read_api_key(const PgRow& row) {
    return {row.text(0), row.text(1), row.text(2), row.text(3), row.boolean(4), row.int64(5), row.int64(6)};
}

Template read_template(const PgRow& row) {
    return {row.text(0),  row.text(1), static_cast<int>(row.int64(2)), row.text(3), row.text(4),
            row.int64(5), row.int64(6)};
}

Asset read_asset(const PgRow& row) {
    return {row.text(0), row.text(1), row.text(2), row.int64(3), row.text(4), row.text(5), row.int64(6)};
}

Job read_job(const PgRow& row) {
    Job job;
    job.id = row.text(0);
    job.tenant_id = row.text(1);
    job.template_id = row.text(2);
    job.template_version = static_cast<int>(row.int64(3));
    job.spec_json = row.text(4);
    job.data_json = row.text(5);
    job.webhook_url = row.text(6);
    job.status = parse_job_status(row.text(7)).value_or(JobStatus::failed);
    job.priority = static_cast<int>(row.int64(8));
    job.progress = row.real(9);
    job.attempts = static_cast<int>(row.int64(10));
    job.lease_owner = row.text(11);
    job.lease_expires = row.int64(12);
    job.not_before = row.int64(13);
    job.error = row.text(14);
    job.idempotency_key = row.text(15);
    job.batch_id = row.text(16);
    job.created = row.int64(17);
    job.updated = row.int64(18);
    job.started = row.int64(19);
    job.finished = row.int64(20);
    job.render_key = row.text(21);
    job.parent_id = row.text(22);
    job.segment_first = row.int64(23);
    job.segment_frames = row.int64(24);
    return job;
}

Output read_output(const PgRow& row) {
    return {row.text(0), row.text(1), row.int64(2), row.real(3), row.text(4), row.int64(5)};
}

WebhookDelivery read_delivery(const PgRow& row) {
    return {row.text(0),
            row.text(1),
            row.text(2),
            row.text(3),
            row.text(4),
            static_cast<int>(row.int64(5)),
            static_cast<int>(row.int64(6)),
            row.text(7),
            row.int64(8)};
}

}  // namespace vidgen::store::detail
