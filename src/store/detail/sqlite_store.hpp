// The SQLite Store. Threading: a pool of connections, one per concurrent call; reads run in parallel
// (WAL), and every write transaction also takes one in-process mutex so writers queue here instead of
// spinning on SQLITE_BUSY (busy_timeout still covers other processes sharing the file). A call holds one
// connection and never asks for a second, so the pool cannot deadlock. insert_job group-commits: callers
// inserting at the same time share one transaction and one fsync (JobInsertGroup).
#pragma once

#include <mutex>

#include "core/metrics.hpp"
#include "store/detail/call_timer.hpp"
#include "store/detail/sqlite_db.hpp"
#include "store/detail/sqlite_group_commit.hpp"
#include "store/store.hpp"

namespace vidgen::store::detail {

class SqliteStore final : public Store {
  public:
    // With `metrics`, every call is timed in vidgen_db_call_duration_seconds{backend="sqlite",kind} and
    // counted in vidgen_db_connections_in_use{backend="sqlite"} while it runs.
    static Result<std::unique_ptr<Store>> open(const std::string& path, MetricsRegistry* metrics = nullptr);

    Result<int> schema_version() override;

    Result<Tenant> create_tenant(Tenant tenant) override;
    Result<Tenant> get_tenant(std::string_view id) override;
    Result<Tenant> find_tenant_by_name(std::string_view name) override;
    Result<std::vector<Tenant>> list_tenants() override;

    Result<ApiKey> create_api_key(ApiKey key) override;
    Result<ApiKey> find_api_key(std::string_view key_hash) override;
    Result<std::vector<ApiKey>> list_api_keys(std::string_view tenant_id) override;
    Result<void> revoke_api_key(std::string_view tenant_id, std::string_view id, TimeMs now) override;

    Result<Template> create_template(Template tmpl) override;
    Result<Template> update_template(Template tmpl) override;
    Result<Template> get_template(std::string_view tenant_id, std::string_view id,
                                  std::optional<int> version) override;
    Result<std::vector<Template>> list_templates(std::string_view tenant_id) override;
    Result<void> delete_template(std::string_view tenant_id, std::string_view id, TimeMs now) override;

    Result<Asset> create_asset(Asset asset) override;
    Result<Asset> get_asset(std::string_view tenant_id, std::string_view id) override;
    Result<std::vector<Asset>> list_assets(std::string_view tenant_id) override;
    Result<Asset> delete_asset(std::string_view tenant_id, std::string_view id) override;

    Result<Inserted> insert_job(Job job) override;
    Result<std::vector<Inserted>> insert_jobs(std::vector<Job> jobs) override;
    Result<Job> get_job(std::string_view tenant_id, std::string_view id) override;
    Result<JobPage> list_jobs(const JobQuery& query) override;
    Result<StatusCounts> count_jobs(std::string_view tenant_id) override;

    Result<Batch> create_batch(Batch batch, std::vector<Job> jobs) override;
    Result<Batch> get_batch(std::string_view tenant_id, std::string_view id) override;

    Result<std::optional<Job>> lease_next_job(std::string_view worker, double lease_seconds,
                                              TimeMs now) override;
    Result<std::optional<Job>> lease_job(std::string_view id, std::string_view worker, double lease_seconds,
                                         TimeMs now) override;
    Result<void> heartbeat(const Lease& lease, TimeMs new_expiry, double progress) override;
    Result<void> complete_job(const Lease& lease, const std::vector<Output>& outputs, TimeMs now) override;
    Result<void> fail_job(const Lease& lease, std::string_view error, TimeMs now) override;
    Result<void> requeue_with_backoff(const Lease& lease, std::string_view error, TimeMs not_before,
                                      TimeMs now) override;
    Result<void> release_job(const Lease& lease, TimeMs now) override;
    Result<void> set_render_key(const Lease& lease, std::string_view render_key) override;
    bool wait_for_jobs(std::chrono::milliseconds max_wait) override;
    Result<Job> cancel_job(std::string_view tenant_id, std::string_view id, TimeMs now) override;

    Result<std::vector<Output>> list_outputs(std::string_view tenant_id, std::string_view job_id) override;
    Result<std::vector<Output>> find_rendered(std::string_view tenant_id,
                                              std::string_view render_key) override;

    Result<WebhookDelivery> record_delivery(WebhookDelivery delivery) override;
    Result<std::vector<WebhookDelivery>> list_deliveries(std::string_view tenant_id,
                                                         std::string_view job_id) override;
    Result<std::vector<WebhookDelivery>> list_owed_webhooks(TimeMs finished_from, TimeMs quiet_before,
                                                            int max_attempts, int limit) override;

    Result<std::vector<std::string>> referenced_keys(const std::vector<std::string>& keys) override;
    Result<std::vector<Output>> delete_abandoned_segment_outputs(int limit) override;

    Result<DbAnalysis> analyze_db() override;
    Result<DbOptimization> optimize_db() override;

  private:
    explicit SqliteStore(std::unique_ptr<ConnectionPool> pool)
        : pool_(std::move(pool)), insert_group_([this](const auto& fn) { return write(fn); }) {}

    // Runs fn(Connection&) on a pooled connection.
    template <typename Fn>
    auto read(Fn&& fn) {
        CallTimer timer(read_duration_, in_use_);
        auto connection = pool_->acquire();
        return fn(*connection);
    }

    // Runs fn(Connection&) inside BEGIN IMMEDIATE ... COMMIT; rolls back when fn fails.
    template <typename Fn>
    auto write(Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
        CallTimer timer(write_duration_, in_use_);
        std::lock_guard lock(write_mutex_);
        auto connection = pool_->acquire();
        auto tx = Transaction::begin(*connection);
        if (!tx) return std::unexpected(tx.error());
        auto result = fn(*connection);
        if (!result) return result;
        if (auto ok = tx->commit(); !ok) return std::unexpected(ok.error());
        return result;
    }

    std::unique_ptr<ConnectionPool> pool_;
    Histogram* read_duration_ = nullptr;  // the three are null without a registry
    Histogram* write_duration_ = nullptr;
    Gauge* in_use_ = nullptr;
    std::mutex write_mutex_;
    JobInsertGroup insert_group_;
};

// Inserts one job on a connection inside a write transaction (shared by insert_job(s) and batches).
Result<Inserted> insert_job_row(Connection& connection, Job job);

}  // namespace vidgen::store::detail
