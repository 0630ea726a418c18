#include <array>

#include "store/detail/pg_schema.hpp"

namespace vidgen::store::detail {

namespace {

// Append only: a released migration never changes; a schema change is a new entry. The tables and
// columns are the SQLite store's, with PostgreSQL's types.
constexpr std::array kMigrations = {
    R"sql(
CREATE TABLE tenants (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, created BIGINT NOT NULL);
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id), key_hash TEXT NOT NULL UNIQUE,
  label TEXT NOT NULL, admin BOOLEAN NOT NULL, created BIGINT NOT NULL, revoked BIGINT NOT NULL);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id);
CREATE TABLE templates (
  id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id), latest_version INTEGER NOT NULL,
  created BIGINT NOT NULL, deleted BIGINT NOT NULL);
CREATE INDEX templates_tenant ON templates (tenant_id, created);
CREATE TABLE template_versions (
  template_id TEXT NOT NULL REFERENCES templates(id), version INTEGER NOT NULL, name TEXT NOT NULL,
  spec_json TEXT NOT NULL, created BIGINT NOT NULL, PRIMARY KEY (template_id, version));
CREATE TABLE assets (
  id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id), content_key TEXT NOT NULL,
  size BIGINT NOT NULL, content_type TEXT NOT NULL, name TEXT NOT NULL, created BIGINT NOT NULL);
CREATE INDEX assets_tenant ON assets (tenant_id, created);
CREATE TABLE batches (
  id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id),
  template_id TEXT REFERENCES templates(id), template_version INTEGER NOT NULL, created BIGINT NOT NULL);
CREATE TABLE jobs (
  id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id),
  template_id TEXT REFERENCES templates(id), template_version INTEGER NOT NULL, spec_json TEXT NOT NULL,
  data_json TEXT NOT NULL, webhook_url TEXT NOT NULL, status TEXT NOT NULL, priority INTEGER NOT NULL,
  progress DOUBLE PRECISION NOT NULL,
  attempts INTEGER NOT NULL, lease_owner TEXT NOT NULL, lease_expires BIGINT NOT NULL,
  not_before BIGINT NOT NULL, error TEXT NOT NULL, idempotency_key TEXT, batch_id TEXT REFERENCES batches(id),
  created BIGINT NOT NULL, updated BIGINT NOT NULL, started BIGINT NOT NULL, finished BIGINT NOT NULL,
  render_key TEXT);
CREATE UNIQUE INDEX jobs_idempotency ON jobs (tenant_id, idempotency_key);
CREATE INDEX jobs_tenant_created ON jobs (tenant_id, created DESC, id DESC);
CREATE INDEX jobs_ready ON jobs (priority DESC, created, id) WHERE status = 'queued';
CREATE INDEX jobs_leased ON jobs (lease_expires) WHERE status = 'rendering';
CREATE INDEX jobs_batch ON jobs (batch_id, status);
CREATE INDEX jobs_tenant_status ON jobs (tenant_id, status);
CREATE INDEX jobs_rendered ON jobs (tenant_id, render_key, finished) WHERE status = 'done';
CREATE TABLE outputs (
  job_id TEXT NOT NULL REFERENCES jobs(id), content_key TEXT NOT NULL, size BIGINT NOT NULL,
  duration DOUBLE PRECISION NOT NULL, format TEXT NOT NULL, created BIGINT NOT NULL,
  PRIMARY KEY (job_id, content_key));
CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id),
  job_id TEXT NOT NULL REFERENCES jobs(id),
  url TEXT NOT NULL, event TEXT NOT NULL, attempt INTEGER NOT NULL, status_code INTEGER NOT NULL,
  error TEXT NOT NULL, created BIGINT NOT NULL);
CREATE INDEX webhook_deliveries_job ON webhook_deliveries (job_id, created);
)sql",
    R"sql(
CREATE INDEX jobs_tenant_ready ON jobs (tenant_id, priority DESC, created, id) WHERE status = 'queued';
CREATE INDEX jobs_tenant_started ON jobs (tenant_id, started);
)sql",
    R"sql(
ALTER TABLE jobs ADD COLUMN parent_id TEXT REFERENCES jobs(id),
  ADD COLUMN segment_first BIGINT NOT NULL DEFAULT 0, ADD COLUMN segment_frames BIGINT NOT NULL DEFAULT 0;
CREATE INDEX jobs_parent ON jobs (parent_id, segment_first) WHERE parent_id IS NOT NULL;
)sql",
    R"sql(
CREATE INDEX jobs_webhook_ended ON jobs (finished)
  WHERE webhook_url <> '' AND status IN ('done', 'failed', 'canceled');
)sql",
    R"sql(
CREATE INDEX outputs_content_key ON outputs (content_key);
CREATE INDEX assets_content_key ON assets (content_key);
)sql",
};

// Serialises the processes migrating one schema (a constant class and the schema's hash), without
// holding up those migrating another. A migration may wait for another process's or build an index on a
// big table: no statement timeout inside it.
constexpr const char* kLockMigrations =
    "SET LOCAL statement_timeout = 0; SELECT pg_advisory_xact_lock(1986357610, hashtext(current_schema()))";

Result<int> current_version(PgConnection& connection) {
    return query_one<int>(connection, "schema", "SELECT coalesce(max(version), 0) FROM schema_migrations",
                          [](const PgRow& row) { return static_cast<int>(row.int64(0)); });
}

Result<int> apply_missing(PgConnection& connection) {
    if (auto ok = connection.exec(kLockMigrations); !ok) return std::unexpected(ok.error());
    if (auto ok = connection.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY "
                                  "KEY, applied BIGINT NOT NULL)");
        !ok) {
        return std::unexpected(ok.error());
    }
    auto version = current_version(connection);
    if (!version) return version;
    if (*version > static_cast<int>(kMigrations.size())) {
        return fail(Code::unsupported, "the database schema is newer than this program");
    }
    for (int next = *version + 1; next <= static_cast<int>(kMigrations.size()); ++next) {
        if (auto ok = connection.exec(kMigrations[next - 1]); !ok) return std::unexpected(ok.error());
        auto recorded = execute(connection,
                                "INSERT INTO schema_migrations (version, applied) "
                                "VALUES ($1, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)",
                                next);
        if (!recorded) return std::unexpected(recorded.error());
    }
    return static_cast<int>(kMigrations.size());
}

}  // namespace

Result<int> pg_migrate(PgConnection& connection) {
    if (auto ok = connection.exec("BEGIN"); !ok) return std::unexpected(ok.error());
    auto version = apply_missing(connection);
    if (auto ok = connection.exec(version ? "COMMIT" : "ROLLBACK"); !ok && version) {
        return std::unexpected(ok.error());
    }
    return version;
}

}  // namespace vidgen::store::detail
