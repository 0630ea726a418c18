// Store: every record of vidgen (tenants, api keys, templates, assets, jobs, batches, outputs, webhook
// deliveries) behind one interface; open_store() picks the implementation from a URL. Every tenant-facing
// read and write is scoped by tenant: another tenant's id is Code::not_found. Queue calls (lease_next_job
// and the Lease-taking ones) are each one atomic transaction. All methods are thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "store/db_report.hpp"
#include "store/records.hpp"

namespace vidgen {
class MetricsRegistry;
class RecordCache;
}  // namespace vidgen

namespace vidgen::store {

class Store {
  public:
    virtual ~Store() = default;

    // Highest migration applied; opening a store applies the missing ones.
    virtual Result<int> schema_version() = 0;

    virtual Result<Tenant> create_tenant(Tenant tenant) = 0;  // name must be unique
    virtual Result<Tenant> get_tenant(std::string_view id) = 0;
    virtual Result<Tenant> find_tenant_by_name(std::string_view name) = 0;
    virtual Result<std::vector<Tenant>> list_tenants() = 0;

    virtual Result<ApiKey> create_api_key(ApiKey key) = 0;
    // The live (not revoked) key with this hash, whatever its tenant: this is how a request is authenticated.
    virtual Result<ApiKey> find_api_key(std::string_view key_hash) = 0;
    virtual Result<std::vector<ApiKey>> list_api_keys(std::string_view tenant_id) = 0;
    virtual Result<void> revoke_api_key(std::string_view tenant_id, std::string_view id, TimeMs now) = 0;

    // Creates version 1. update_template() adds version latest+1 with the given name and spec.
    virtual Result<Template> create_template(Template tmpl) = 0;
    virtual Result<Template> update_template(Template tmpl) = 0;
    // No version: the latest, not_found once deleted. A version: that one, even after a soft delete
    // (queued jobs still render it; `deleted` says so).
    virtual Result<Template> get_template(std::string_view tenant_id, std::string_view id,
                                          std::optional<int> version = std::nullopt) = 0;
    virtual Result<std::vector<Template>> list_templates(std::string_view tenant_id) = 0;  // latest versions
    virtual Result<void> delete_template(std::string_view tenant_id, std::string_view id, TimeMs now) = 0;

    virtual Result<Asset> create_asset(Asset asset) = 0;
    virtual Result<Asset> get_asset(std::string_view tenant_id, std::string_view id) = 0;
    virtual Result<std::vector<Asset>> list_assets(std::string_view tenant_id) = 0;
    virtual Result<Asset> delete_asset(std::string_view tenant_id,
                                       std::string_view id) = 0;  // the removed row

    // One job. A job whose tenant already has its idempotency key is not inserted: the earlier job is
    // returned with created = false. A template or batch id must belong to the job's tenant.
    virtual Result<Inserted> insert_job(Job job) = 0;
    // Many jobs in one transaction (all or none), each with insert_job's idempotency rule.
    virtual Result<std::vector<Inserted>> insert_jobs(std::vector<Job> jobs) = 0;
    virtual Result<Job> get_job(std::string_view tenant_id, std::string_view id) = 0;
    virtual Result<JobPage> list_jobs(const JobQuery& query) = 0;
    virtual Result<StatusCounts> count_jobs(std::string_view tenant_id) = 0;

    // A batch and its jobs (each gets the batch id) in one transaction.
    virtual Result<Batch> create_batch(Batch batch, std::vector<Job> jobs) = 0;
    virtual Result<Batch> get_batch(std::string_view tenant_id, std::string_view id) = 0;  // with counts

    // Leases a queued job whose not_before has passed, fairly between tenants: among the ready jobs of the
    // highest priority, the tenant with the fewest jobs rendering (ties: the one leased least recently,
    // then the one whose oldest ready job is oldest), then that tenant's oldest job. Rendering jobs whose
    // lease expired are queued again first (PostgreSQL looks for them with one lease a second per store). The
    // job becomes rendering, attempts+1, owned by `worker` until now + lease_seconds. std::nullopt when
    // nothing is ready.
    virtual Result<std::optional<Job>> lease_next_job(std::string_view worker, double lease_seconds,
                                                      TimeMs now) = 0;
    // Leases this one job as lease_next_job would, when it is queued and ready (a worker rendering a
    // segment-parallel job takes the segments no other worker has taken); std::nullopt otherwise.
    virtual Result<std::optional<Job>> lease_job(std::string_view id, std::string_view worker,
                                                 double lease_seconds, TimeMs now) = 0;
    // These fail with Code::canceled when the job was canceled and Code::not_found when the lease is not
    // (or no longer) held by this worker and attempt.
    virtual Result<void> heartbeat(const Lease& lease, TimeMs new_expiry, double progress) = 0;
    // Marks the job done and writes its outputs; exactly one caller can succeed.
    virtual Result<void> complete_job(const Lease& lease, const std::vector<Output>& outputs, TimeMs now) = 0;
    virtual Result<void> fail_job(const Lease& lease, std::string_view error, TimeMs now) = 0;
    // Hands the job back to the queue, not to be leased before `not_before`.
    virtual Result<void> requeue_with_backoff(const Lease& lease, std::string_view error, TimeMs not_before,
                                              TimeMs now) = 0;
    // Hands a leased job back to the queue as if this lease had never been taken (attempts - 1, ready at
    // once): a worker shutting down returns its running jobs without spending one of their attempts.
    virtual Result<void> release_job(const Lease& lease, TimeMs now) = 0;
    // Records the render key the lease holder computed for its job (the render cache, find_rendered).
    virtual Result<void> set_render_key(const Lease& lease, std::string_view render_key) = 0;
    // Blocks until work may have been queued by any process sharing the store — a job inserted, requeued
    // or released — (true), or until `max_wait` passes (false). A wake-up hint: lease_next_job() decides.
    // PostgreSQL listens for NOTIFY vidgen_jobs; SQLite has no signal between processes and just waits.
    virtual bool wait_for_jobs(std::chrono::milliseconds max_wait) = 0;
    // Queued or rendering → canceled, in the same statement as the job's unfinished segments; a finished
    // job is returned unchanged.
    virtual Result<Job> cancel_job(std::string_view tenant_id, std::string_view id, TimeMs now) = 0;

    virtual Result<std::vector<Output>> list_outputs(std::string_view tenant_id, std::string_view job_id) = 0;
    // The render cache: the outputs of the tenant's most recent done job with this render key, or none.
    virtual Result<std::vector<Output>> find_rendered(std::string_view tenant_id,
                                                      std::string_view render_key) = 0;

    virtual Result<WebhookDelivery> record_delivery(WebhookDelivery delivery) = 0;
    virtual Result<std::vector<WebhookDelivery>> list_deliveries(std::string_view tenant_id,
                                                                 std::string_view job_id) = 0;
    // Webhook deliveries still owed, across tenants (the webhook dispatcher's recovery scan): ended jobs
    // (done, failed, canceled; never segments) with a webhook URL, finished at or after `finished_from`,
    // whose end event "job.<status>" has no 2xx delivery and fewer than `max_attempts` deliveries recorded,
    // and whose latest delivery (the finish when none) was at or before `quiet_before`. One record each:
    // tenant, job, the job's webhook URL, the event, attempt = deliveries recorded, created = the latest
    // delivery's time (the finish when none); no id. Oldest `created` first, at most `limit`.
    virtual Result<std::vector<WebhookDelivery>> list_owed_webhooks(TimeMs finished_from, TimeMs quiet_before,
                                                                    int max_attempts, int limit) = 0;

    // The blob sweep (worker/blob_sweeper.hpp), across tenants. referenced_keys: those of `keys` (at most
    // kMaxKeyBatch, else Code::invalid_argument) that an output or an asset of any tenant refers to, once
    // each, in no particular order.
    static constexpr std::size_t kMaxKeyBatch = 1000;
    virtual Result<std::vector<std::string>> referenced_keys(const std::vector<std::string>& keys) = 0;
    // Deletes at most `limit` outputs of segments whose parent ended failed or canceled (nothing will join
    // them any more) and returns the deleted rows; their blobs are garbage unless referenced elsewhere.
    virtual Result<std::vector<Output>> delete_abandoned_segment_outputs(int limit) = 0;

    // For /admin/db (store/db_report.hpp). analyze_db: the store's tables and indexes with their sizes and
    // use, slow statements where the engine records them, suggestions. optimize_db: creates the recommended
    // indexes that are missing (PostgreSQL: CONCURRENTLY, so writes go on) and refreshes the planner's
    // statistics, returning each statement it ran.
    virtual Result<DbAnalysis> analyze_db() = 0;
    virtual Result<DbOptimization> optimize_db() = 0;
};

// How a server-backed store (PostgreSQL) pools its connections and times its queries; SQLite ignores it.
// Defaults match DB_MIN_CONNECTIONS, DB_MAX_CONNECTIONS and DB_IDLE_TIMEOUT (core/config).
struct StoreOptions {
    int min_connections = 1;                         // opened at start and kept while idle
    int max_connections = 10;                        // callers wait for a free connection beyond this
    std::chrono::milliseconds idle_timeout{30'000};  // an idle connection above the minimum closes after it
    std::chrono::milliseconds statement_timeout{30'000};  // a query running longer fails with Code::io
    std::chrono::milliseconds slow_query_threshold{200};  // a query taking longer is logged as a warning
    // When set, PostgreSQL records each statement's duration and errors here (vidgen_db_statement_*) and
    // SQLite each call's (vidgen_db_call_duration_seconds, vidgen_db_connections_in_use); it must outlive
    // the store.
    MetricsRegistry* metrics = nullptr;
    // When set, PostgreSQL keeps tenants, template versions and assets here (core/record_cache.hpp), so
    // that hot reads (every job of a batch reads its template) skip the database; it must outlive the store.
    // SQLite, in the same process as its file, reads directly.
    RecordCache* record_cache = nullptr;
};

// "sqlite://PATH" (sqlite:///abs/path.db or sqlite://relative.db) opens or creates a SQLite store;
// "postgres://…" or "postgresql://…" (a libpq connection URI) connects to PostgreSQL. Either applies the
// missing migrations. Any other scheme is Code::unsupported; a server that cannot be reached is Code::io.
Result<std::unique_ptr<Store>> open_store(std::string_view url, const StoreOptions& options);
Result<std::unique_ptr<Store>> open_store(std::string_view url);  // with the default StoreOptions

}  // namespace vidgen::store
