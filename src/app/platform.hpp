// Platform: the running parts of `vidgen serve` and `vidgen worker` built from the settings — records store,
// media store, cache, event bus, metrics, job queue, HTTP server with the API routes, and the in-process
// workers — and their orderly start and stop. Owned by the serve command on the main thread; the parts are
// thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "api/context.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "core/record_cache.hpp"
#include "http/rate_limiter.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "queue/store_wakeups.hpp"
#include "worker/blob_sweeper.hpp"
#include "worker/webhooks.hpp"
#include "worker/worker_pool.hpp"

namespace vidgen::app {

class Platform {
  public:
    // Opens (and migrates) the store and the media folder under the settings' data dir.
    static Result<std::unique_ptr<Platform>> open(const Settings& settings);
    ~Platform();

    // A tenant named "admin" with an admin key when the store has no tenant yet: returns the new key (shown
    // once), or an empty string when tenants exist.
    Result<std::string> ensure_first_key();

    enum class Role {
        serve,   // the API, with workers in the same process
        worker,  // workers only, with /health and /metrics on the listen address
    };
    // Binds the listener and starts the workers.
    Result<void> start(Role role);
    // Stops accepting, finishes in-flight requests (up to `grace`), hands running jobs back to the queue.
    void stop(std::chrono::milliseconds grace);

    // "http://127.0.0.1:8080" once started.
    std::string url() const;

  private:
    explicit Platform(const Settings& settings);
    void add_api_routes();
    void add_worker_routes();
    // The webhook dispatcher, and the render workers unless this is an API-only serve node.
    Result<void> start_workers(Role role, const std::string& media_prefix);
    std::string media_url_prefix(Role role) const;
    api::WorkerFigures worker_figures() const;

    Settings settings_;
    std::unique_ptr<MetricsRegistry> metrics_;  // first: the store records into it until it closes
    std::unique_ptr<cache::Cache> cache_;       // before the store, which keeps records in it
    std::unique_ptr<RecordCache> records_;
    std::unique_ptr<store::Store> store_;
    std::unique_ptr<blob::BlobStore> blobs_;
    std::unique_ptr<queue::EventBus> events_;
    std::unique_ptr<queue::JobQueue> queue_;
    std::unique_ptr<worker::WorkerPool> workers_;
    std::unique_ptr<worker::WebhookDispatcher> webhooks_;
    std::unique_ptr<worker::BlobSweeper> sweeper_;  // null when blob_sweep_interval is 0
    std::unique_ptr<queue::StoreWakeups> wakeups_;
    api::Context context_;
    http::Router router_;
    std::unique_ptr<http::RateLimiter> limiter_;  // shared through Redis; null: the server's own buckets
    std::unique_ptr<http::Server> server_;
};

}  // namespace vidgen::app
