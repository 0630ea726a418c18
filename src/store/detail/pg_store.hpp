// The PostgreSQL Store. Threading: every call checks a connection out of a PgPool for its duration and
// never asks for a second, so the pool cannot deadlock; concurrency control is the server's (row locks,
// unique indexes, FOR UPDATE SKIP LOCKED for leasing). A call whose connection turns out to be dead
// before any of its statements succeeded runs again on another connection. Writes that queue work
// send NOTIFY vidgen_jobs on commit, which wait_for_jobs() hears through a PgListener.
#pragma once

#include <atomic>

#include "store/detail/pg_listener.hpp"
#include "store/detail/pg_pool.hpp"
#include "store/store.hpp"

namespace vidgen::store::detail {

class PgStore final : public Store {
  public:
    static Result<std::unique_ptr<Store>> open(std::string url, const StoreOptions& options);

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
    PgStore(std::unique_ptr<PgPool> pool, std::string url, RecordCache* records)
        : pool_(std::move(pool)), listener_(std::move(url)), records_(records) {}

    // Runs fn(PgConnection&) on a pooled connection, each statement committing on its own: for reads and
    // for writes that are one statement. When the connection turns out dead before any of fn's statements
    // succeeded, fn runs again on another: a server restart or pg_terminate_backend can leave every
    // pooled connection dead, so up to one more attempt than the pool holds.
    template <typename Fn>
    auto run(Fn&& fn) -> decltype(fn(std::declval<PgConnection&>())) {
        for (int attempt = 0;; ++attempt) {
            auto connection = pool_->acquire();
            if (!connection) return std::unexpected(connection.error());
            auto result = fn(**connection);
            bool retry =
                !result && (*connection)->lost_before_any_success() && attempt < pool_->max_connections();
            if (!retry) return result;
        }
    }

    // Runs fn(PgConnection&) inside BEGIN ... COMMIT; rolls back when fn fails.
    template <typename Fn>
    auto transact(Fn&& fn) -> decltype(fn(std::declval<PgConnection&>())) {
        return run([&](PgConnection& c) -> decltype(fn(c)) {
            if (auto ok = c.exec("BEGIN"); !ok) return std::unexpected(ok.error());
            auto result = fn(c);
            if (!result) {
                (void)c.exec("ROLLBACK");  // a broken connection rolls back by itself
                return result;
            }
            if (auto ok = c.exec("COMMIT"); !ok) return std::unexpected(ok.error());
            return result;
        });
    }

    // True for the first lease at or after the next sweep time, which it moves a second on.
    bool claim_sweep(TimeMs now) {
        TimeMs due = next_sweep_.load();
        return now >= due && next_sweep_.compare_exchange_strong(due, now + kSweepIntervalMs);
    }
    static constexpr TimeMs kSweepIntervalMs = 1000;

    std::unique_ptr<PgPool> pool_;
    PgListener listener_;
    std::atomic<TimeMs> next_sweep_{0};
    RecordCache* records_;  // hot records (StoreOptions::record_cache); null: none
};

// From this many jobs on, insert_jobs and create_batch load them with COPY instead of one INSERT each.
constexpr std::size_t kCopyThreshold = 64;

// The template version a job names, checked against its tenant; version 0 means the latest live one.
Result<int> pg_resolve_template(PgConnection& connection, const Job& job);
// Code::not_found unless the job's batch belongs to the job's tenant.
Result<void> pg_check_batch(PgConnection& connection, const Job& job);

// Inserts jobs inside the caller's transaction with insert_job's rules; results in the order of `jobs`.
// Below kCopyThreshold one INSERT each, from it on one COPY through a temporary table.
Result<std::vector<Inserted>> pg_insert_jobs(PgConnection& connection, const std::vector<Job>& jobs);
Result<Inserted> pg_insert_job_row(PgConnection& connection, Job job);
Result<std::vector<Inserted>> pg_copy_jobs(PgConnection& connection, const std::vector<Job>& jobs);

// Wakes listeners of the vidgen_jobs channel when the caller's transaction commits.
Result<void> pg_notify_jobs(PgConnection& connection);

}  // namespace vidgen::store::detail
