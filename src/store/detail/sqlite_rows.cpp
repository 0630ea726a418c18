#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <random>

#include "store/detail/sqlite_schema.hpp"

namespace vidgen::store::detail {

const char* const kTenantColumns = "id, name, created";
const char* const kApiKeyColumns = "id, tenant_id, key_hash, label, admin, created, revoked";
const char* const kTemplateColumns =
    "t.id, t.tenant_id, v.version, v.name, v.spec_json, v.created, t.deleted";
const char* const kAssetColumns = "id, tenant_id, content_key, size, content_type, name, created";
const char* const kJobColumns =
    "id, tenant_id, template_id, template_version, spec_json, data_json, webhook_url, status, priority, "
    "progress, attempts, lease_owner, lease_expires, not_before, error, idempotency_key, batch_id, created, "
    "updated, started, finished, render_key, parent_id, segment_first, segment_frames";
const char* const kOutputColumns = "job_id, content_key, size, duration, format, created";
const char* const kDeliveryColumns =
    "id, tenant_id, job_id, url, event, attempt, status_code, error, created";

Tenant tenant_row(const Statement& row) {
    return {row.text(0), row.text(1), row.int64(2)};
}

ApiKey api_key_row(const Statement& row) {
    return {row.text(0),       row.text(1),  row.text(2), row.text(3),
            row.int64(4) != 0, row.int64(5), row.int64(6)};
}

Template template_row(const Statement& row) {
    return {row.text(0),  row.text(1), static_cast<int>(row.int64(2)), row.text(3), row.text(4),
            row.int64(5), row.int64(6)};
}

Asset asset_row(const Statement& row) {
    return {row.text(0), row.text(1), row.text(2), row.int64(3), row.text(4), row.text(5), row.int64(6)};
}

Job job_row(const Statement& row) {
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

Output output_row(const Statement& row) {
    return {row.text(0), row.text(1), row.int64(2), row.real(3), row.text(4), row.int64(5)};
}

WebhookDelivery delivery_row(const Statement& row) {
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

std::string new_id(std::string_view prefix) {
    static std::atomic<std::uint64_t> sequence{std::random_device{}()};
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    return fmt::format("{}_{:012x}{:08x}", prefix, static_cast<std::uint64_t>(now) & 0xffff'ffff'ffffULL,
                       sequence.fetch_add(1) & 0xffff'ffffULL);
}

}  // namespace vidgen::store::detail
