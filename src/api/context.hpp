// What the REST handlers work with: the record store, the job queue, the media store, the cache, the event
// bus, metrics and settings, all behind interfaces so the same handlers serve the embedded and the cluster
// setups. app/ builds a Context from the configuration and keeps it alive as long as the server.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "blob/blob_store.hpp"
#include "cache/cache.hpp"
#include "core/config.hpp"
#include "core/metrics.hpp"
#include "queue/events.hpp"
#include "queue/job_queue.hpp"
#include "spec/limits.hpp"
#include "store/store.hpp"

namespace vidgen::http {
class Server;
}

namespace vidgen::api {

// Render workers as the status and readiness endpoints see them.
struct WorkerFigures {
    int total = 0;
    int busy = 0;
    std::uint64_t jobs_finished = 0;
    double jobs_per_minute = 0;  // over the last few minutes
};

struct Context {
    store::Store* store = nullptr;
    queue::JobQueue* queue = nullptr;
    blob::BlobStore* blobs = nullptr;
    cache::Cache* cache = nullptr;
    queue::EventBus* events = nullptr;
    MetricsRegistry* metrics = nullptr;
    const http::Server* server = nullptr;    // for /health/performance; null: monitoring off
    std::function<WorkerFigures()> workers;  // empty: no workers in this process
    bool renders = true;                     // false: an API-only node, ready without workers
    std::filesystem::path data_dir;          // free-space checks for readiness
    spec::Limits limits;
    std::uint64_t max_asset_bytes = 2ull << 30;
    std::chrono::milliseconds cache_ttl{30'000};  // response and query cache default TTL
    bool allow_http_webhooks =
        false;               // webhook URLs may be http:// (tests, private networks), not only https://
    std::string public_url;  // "http://127.0.0.1:8080", prefix of the URLs in responses
};

}  // namespace vidgen::api
