#include <fmt/format.h>

#include "store/detail/sqlite_schema.hpp"
#include "store/detail/sqlite_store.hpp"

namespace vidgen::store::detail {

namespace {
constexpr int kPoolSize = 4;

std::string select_from(const char* columns, std::string_view rest) {
    return fmt::format("SELECT {} FROM {}", columns, rest);
}
}  // namespace

Result<std::unique_ptr<Store>> SqliteStore::open(const std::string& path, MetricsRegistry* metrics) {
    {
        auto first = Connection::open(path);
        if (!first) return std::unexpected(first.error());
        if (auto version = migrate(**first); !version) return std::unexpected(version.error());
    }
    auto pool = ConnectionPool::open(path, kPoolSize);
    if (!pool) return std::unexpected(pool.error());
    std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(*pool)));
    if (metrics != nullptr) {
        auto& calls = metrics->histogram(
            "vidgen_db_call_duration_seconds",
            "Store calls (one transaction each), including waits for a connection.", {"backend", "kind"});
        store->read_duration_ = &calls.with({"sqlite", "read"});
        store->write_duration_ = &calls.with({"sqlite", "write"});
        store->in_use_ =
            &metrics->gauge("vidgen_db_connections_in_use", "Store calls running now.", {"backend"})
                 .with({"sqlite"});
    }
    return std::unique_ptr<Store>(std::move(store));
}

Result<int> SqliteStore::schema_version() {
    return read([](Connection& c) {
        return select_one<int>(c, "schema", "SELECT coalesce(max(version), 0) FROM schema_migrations",
                               [](const Statement& row) { return static_cast<int>(row.int64(0)); });
    });
}

Result<Tenant> SqliteStore::create_tenant(Tenant tenant) {
    if (tenant.id.empty()) tenant.id = new_id("ten");
    return write([&](Connection& c) -> Result<Tenant> {
        auto stmt = c.prepare("INSERT INTO tenants (id, name, created) VALUES (?1, ?2, ?3)");
        if (!stmt) return std::unexpected(stmt.error());
        if (auto ok = stmt->bind(tenant.id, tenant.name, tenant.created).run(); !ok) {
            return std::unexpected(ok.error());
        }
        return tenant;
    });
}

Result<Tenant> SqliteStore::get_tenant(std::string_view id) {
    static const std::string sql = select_from(kTenantColumns, "tenants WHERE id = ?1");
    return read([&](Connection& c) { return select_one<Tenant>(c, "tenant", sql, tenant_row, id); });
}

Result<Tenant> SqliteStore::find_tenant_by_name(std::string_view name) {
    static const std::string sql = select_from(kTenantColumns, "tenants WHERE name = ?1");
    return read([&](Connection& c) { return select_one<Tenant>(c, "tenant", sql, tenant_row, name); });
}

Result<std::vector<Tenant>> SqliteStore::list_tenants() {
    static const std::string sql = select_from(kTenantColumns, "tenants ORDER BY created, id");
    return read([&](Connection& c) { return select_all<Tenant>(c, sql, tenant_row); });
}

Result<ApiKey> SqliteStore::create_api_key(ApiKey key) {
    if (key.id.empty()) key.id = new_id("key");
    return write([&](Connection& c) -> Result<ApiKey> {
        auto stmt = c.prepare(
            "INSERT INTO api_keys (id, tenant_id, key_hash, label, admin, created, revoked) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0)");
        if (!stmt) return std::unexpected(stmt.error());
        stmt->bind(key.id, key.tenant_id, key.key_hash, key.label, key.admin ? 1 : 0, key.created);
        if (auto ok = stmt->run(); !ok) return std::unexpected(ok.error());
        key.revoked = 0;
        return key;
    });
}

Result<ApiKey> SqliteStore::find_api_key(std::string_view key_hash) {
    static const std::string sql =
        select_from(kApiKeyColumns, "api_keys WHERE key_hash = ?1 AND revoked = 0");
    return read([&](Connection& c) { return select_one<ApiKey>(c, "api key", sql, api_key_row, key_hash); });
}

Result<std::vector<ApiKey>> SqliteStore::list_api_keys(std::string_view tenant_id) {
    static const std::string sql =
        select_from(kApiKeyColumns, "api_keys WHERE tenant_id = ?1 ORDER BY created, id");
    return read([&](Connection& c) { return select_all<ApiKey>(c, sql, api_key_row, tenant_id); });
}

Result<void> SqliteStore::revoke_api_key(std::string_view tenant_id, std::string_view id, TimeMs now) {
    return write([&](Connection& c) -> Result<void> {
        auto stmt =
            c.prepare("UPDATE api_keys SET revoked = ?3 WHERE id = ?1 AND tenant_id = ?2 AND revoked = 0");
        if (!stmt) return std::unexpected(stmt.error());
        if (auto ok = stmt->bind(id, tenant_id, now).run(); !ok) return ok;
        if (stmt->changes() == 0) return fail(Code::not_found, "api key not found");
        return {};
    });
}

Result<Asset> SqliteStore::create_asset(Asset asset) {
    if (asset.id.empty()) asset.id = new_id("ast");
    return write([&](Connection& c) -> Result<Asset> {
        auto stmt = c.prepare(
            "INSERT INTO assets (id, tenant_id, content_key, size, content_type, name, created) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        if (!stmt) return std::unexpected(stmt.error());
        stmt->bind(asset.id, asset.tenant_id, asset.content_key, asset.size, asset.content_type, asset.name,
                   asset.created);
        if (auto ok = stmt->run(); !ok) return std::unexpected(ok.error());
        return asset;
    });
}

Result<Asset> SqliteStore::get_asset(std::string_view tenant_id, std::string_view id) {
    static const std::string sql = select_from(kAssetColumns, "assets WHERE id = ?1 AND tenant_id = ?2");
    return read([&](Connection& c) { return select_one<Asset>(c, "asset", sql, asset_row, id, tenant_id); });
}

Result<std::vector<Asset>> SqliteStore::list_assets(std::string_view tenant_id) {
    static const std::string sql =
        select_from(kAssetColumns, "assets WHERE tenant_id = ?1 ORDER BY created DESC, id DESC");
    return read([&](Connection& c) { return select_all<Asset>(c, sql, asset_row, tenant_id); });
}

Result<Asset> SqliteStore::delete_asset(std::string_view tenant_id, std::string_view id) {
    static const std::string sql =
        fmt::format("DELETE FROM assets WHERE id = ?1 AND tenant_id = ?2 RETURNING {}", kAssetColumns);
    return write([&](Connection& c) { return select_one<Asset>(c, "asset", sql, asset_row, id, tenant_id); });
}

Result<WebhookDelivery> SqliteStore::record_delivery(WebhookDelivery d) {
    if (d.id.empty()) d.id = new_id("whd");
    return write([&](Connection& c) -> Result<WebhookDelivery> {
        auto stmt = c.prepare(
            "INSERT INTO webhook_deliveries (id, tenant_id, job_id, url, event, attempt, status_code, error, "
            "created) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 "
            "WHERE EXISTS (SELECT 1 FROM jobs WHERE id = ?3 AND tenant_id = ?2)");
        if (!stmt) return std::unexpected(stmt.error());
        stmt->bind(d.id, d.tenant_id, d.job_id, d.url, d.event, d.attempt, d.status_code, d.error, d.created);
        if (auto ok = stmt->run(); !ok) return std::unexpected(ok.error());
        if (stmt->changes() == 0) return fail(Code::not_found, "job not found");
        return d;
    });
}

Result<std::vector<WebhookDelivery>> SqliteStore::list_deliveries(std::string_view tenant_id,
                                                                  std::string_view job_id) {
    static const std::string sql = select_from(
        kDeliveryColumns, "webhook_deliveries WHERE job_id = ?1 AND tenant_id = ?2 ORDER BY created, id");
    return read(
        [&](Connection& c) { return select_all<WebhookDelivery>(c, sql, delivery_row, job_id, tenant_id); });
}

Result<std::vector<Output>> SqliteStore::list_outputs(std::string_view tenant_id, std::string_view job_id) {
    static const std::string sql = fmt::format(
        "SELECT {} FROM outputs WHERE job_id = ?1 AND EXISTS "
        "(SELECT 1 FROM jobs WHERE jobs.id = ?1 AND jobs.tenant_id = ?2) ORDER BY content_key",
        kOutputColumns);
    return read([&](Connection& c) { return select_all<Output>(c, sql, output_row, job_id, tenant_id); });
}

Result<std::vector<Output>> SqliteStore::find_rendered(std::string_view tenant_id,
                                                       std::string_view render_key) {
    static const std::string sql = fmt::format(
        "SELECT {} FROM outputs WHERE job_id = (SELECT id FROM jobs WHERE tenant_id = ?1 AND render_key = ?2 "
        "AND status = 'done' ORDER BY finished DESC, id DESC LIMIT 1) ORDER BY content_key",
        kOutputColumns);
    return read([&](Connection& c) { return select_all<Output>(c, sql, output_row, tenant_id, render_key); });
}

}  // namespace vidgen::store::detail
