#include <fmt/format.h>

#include "core/record_cache.hpp"
#include "store/detail/pg_schema.hpp"
#include "store/detail/pg_store.hpp"
#include "store/detail/record_codec.hpp"

namespace vidgen::store::detail {

namespace {
std::string select_from(const char* columns, std::string_view rest) {
    return fmt::format("SELECT {} FROM {}", columns, rest);
}
}  // namespace

Result<std::unique_ptr<Store>> PgStore::open(std::string url, const StoreOptions& options) {
    auto pool = PgPool::open(url, options);
    if (!pool) return std::unexpected(pool.error());
    {
        auto connection = (*pool)->acquire();
        if (!connection) return std::unexpected(connection.error());
        if (auto version = pg_migrate(**connection); !version) return std::unexpected(version.error());
    }
    return std::unique_ptr<Store>(new PgStore(std::move(*pool), std::move(url), options.record_cache));
}

Result<int> PgStore::schema_version() {
    return run([](PgConnection& c) {
        return query_one<int>(c, "schema", "SELECT coalesce(max(version), 0) FROM schema_migrations",
                              [](const PgRow& row) { return static_cast<int>(row.int64(0)); });
    });
}

Result<Tenant> PgStore::create_tenant(Tenant tenant) {
    if (tenant.id.empty()) tenant.id = new_id("ten");
    return run([&](PgConnection& c) -> Result<Tenant> {
        auto ok = execute(c, "INSERT INTO tenants (id, name, created) VALUES ($1, $2, $3)", tenant.id,
                          tenant.name, tenant.created);
        if (!ok) return std::unexpected(ok.error());
        return tenant;
    });
}

Result<Tenant> PgStore::get_tenant(std::string_view id) {
    static const std::string sql = select_from(kTenantColumns, "tenants WHERE id = $1");
    return through_cache<Tenant>(records_, fmt::format("tenant:{}", id), {}, [&] {
        return run([&](PgConnection& c) { return query_one<Tenant>(c, "tenant", sql, read_tenant, id); });
    });
}

Result<Tenant> PgStore::find_tenant_by_name(std::string_view name) {
    static const std::string sql = select_from(kTenantColumns, "tenants WHERE name = $1");
    return run([&](PgConnection& c) { return query_one<Tenant>(c, "tenant", sql, read_tenant, name); });
}

Result<std::vector<Tenant>> PgStore::list_tenants() {
    static const std::string sql = select_from(kTenantColumns, "tenants ORDER BY created, id");
    return run([&](PgConnection& c) { return query_all<Tenant>(c, sql, read_tenant); });
}

Result<ApiKey> PgStore::create_api_key(ApiKey key) {
    if (key.id.empty()) key.id = new_id("key");
    key.revoked = 0;
    return run([&](PgConnection& c) -> Result<ApiKey> {
        auto ok = execute(c,
                          "INSERT INTO api_keys (id, tenant_id, key_hash, label, admin, created, revoked) "
                          "VALUES ($1, $2, $3, $4, $5, $6, 0)",
                          key.id, key.tenant_id, key.key_hash, key.label, key.admin, key.created);
        if (!ok) return std::unexpected(ok.error());
        return key;
    });
}

Result<ApiKey> PgStore::find_api_key(std::string_view key_hash) {
    static const std::string sql =
        select_from(kApiKeyColumns, "api_keys WHERE key_hash = $1 AND revoked = 0");
    return run([&](PgConnection& c) { return query_one<ApiKey>(c, "api key", sql, read_api_key, key_hash); });
}

Result<std::vector<ApiKey>> PgStore::list_api_keys(std::string_view tenant_id) {
    static const std::string sql =
        select_from(kApiKeyColumns, "api_keys WHERE tenant_id = $1 ORDER BY created, id");
    return run([&](PgConnection& c) { return query_all<ApiKey>(c, sql, read_api_key, tenant_id); });
}

Result<void> PgStore::revoke_api_key(std::string_view tenant_id, std::string_view id, TimeMs now) {
    return run([&](PgConnection& c) -> Result<void> {
        auto changed =
            execute(c, "UPDATE api_keys SET revoked = $3 WHERE id = $1 AND tenant_id = $2 AND revoked = 0",
                    id, tenant_id, now);
        if (!changed) return std::unexpected(changed.error());
        if (*changed == 0) return fail(Code::not_found, "api key not found");
        return {};
    });
}

Result<Asset> PgStore::create_asset(Asset asset) {
    if (asset.id.empty()) asset.id = new_id("ast");
    return run([&](PgConnection& c) -> Result<Asset> {
        auto ok =
            execute(c,
                    "INSERT INTO assets (id, tenant_id, content_key, size, content_type, name, created) "
                    "VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    asset.id, asset.tenant_id, asset.content_key, asset.size, asset.content_type, asset.name,
                    asset.created);
        if (!ok) return std::unexpected(ok.error());
        return asset;
    });
}

Result<Asset> PgStore::get_asset(std::string_view tenant_id, std::string_view id) {
    static const std::string sql = select_from(kAssetColumns, "assets WHERE id = $1 AND tenant_id = $2");
    auto key = fmt::format("asset:{}:{}", tenant_id, id);
    return through_cache<Asset>(records_, key, {fmt::format("asset:{}", id)}, [&] {
        return run(
            [&](PgConnection& c) { return query_one<Asset>(c, "asset", sql, read_asset, id, tenant_id); });
    });
}

Result<std::vector<Asset>> PgStore::list_assets(std::string_view tenant_id) {
    static const std::string sql =
        select_from(kAssetColumns, "assets WHERE tenant_id = $1 ORDER BY created DESC, id DESC");
    return run([&](PgConnection& c) { return query_all<Asset>(c, sql, read_asset, tenant_id); });
}

Result<Asset> PgStore::delete_asset(std::string_view tenant_id, std::string_view id) {
    static const std::string sql =
        fmt::format("DELETE FROM assets WHERE id = $1 AND tenant_id = $2 RETURNING {}", kAssetColumns);
    auto deleted =
        run([&](PgConnection& c) { return query_one<Asset>(c, "asset", sql, read_asset, id, tenant_id); });
    if (records_) records_->invalidate(fmt::format("asset:{}", id));
    return deleted;
}

Result<WebhookDelivery> PgStore::record_delivery(WebhookDelivery d) {
    if (d.id.empty()) d.id = new_id("whd");
    return run([&](PgConnection& c) -> Result<WebhookDelivery> {
        auto changed = execute(
            c,
            "INSERT INTO webhook_deliveries (id, tenant_id, job_id, url, event, attempt, status_code, error, "
            "created) SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::integer, $7::integer, "
            "$8::text, $9::bigint WHERE EXISTS (SELECT 1 FROM jobs WHERE id = $3 AND tenant_id = $2)",
            d.id, d.tenant_id, d.job_id, d.url, d.event, d.attempt, d.status_code, d.error, d.created);
        if (!changed) return std::unexpected(changed.error());
        if (*changed == 0) return fail(Code::not_found, "job not found");
        return d;
    });
}

Result<std::vector<WebhookDelivery>> PgStore::list_deliveries(std::string_view tenant_id,
                                                              std::string_view job_id) {
    static const std::string sql = select_from(
        kDeliveryColumns, "webhook_deliveries WHERE job_id = $1 AND tenant_id = $2 ORDER BY created, id");
    return run([&](PgConnection& c) {
        return query_all<WebhookDelivery>(c, sql, read_delivery, job_id, tenant_id);
    });
}

Result<std::vector<Output>> PgStore::list_outputs(std::string_view tenant_id, std::string_view job_id) {
    static const std::string sql = fmt::format(
        "SELECT {} FROM outputs WHERE job_id = $1 AND EXISTS "
        "(SELECT 1 FROM jobs WHERE jobs.id = $1 AND jobs.tenant_id = $2) ORDER BY content_key",
        kOutputColumns);
    return run([&](PgConnection& c) { return query_all<Output>(c, sql, read_output, job_id, tenant_id); });
}

Result<std::vector<Output>> PgStore::find_rendered(std::string_view tenant_id, std::string_view render_key) {
    static const std::string sql = fmt::format(
        "SELECT {} FROM outputs WHERE job_id = (SELECT id FROM jobs WHERE tenant_id = $1 AND render_key = $2 "
        "AND status = 'done' ORDER BY finished DESC, id DESC LIMIT 1) ORDER BY content_key",
        kOutputColumns);
    return run(
        [&](PgConnection& c) { return query_all<Output>(c, sql, read_output, tenant_id, render_key); });
}

}  // namespace vidgen::store::detail
