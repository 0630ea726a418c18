// Server: vidgen's HTTP/1.1 server on Boost.Beast. Network I/O runs on a few io threads that never block;
// handlers run on a separate handler pool. Around every handler the server applies, in order: request
// metrics, authentication (Authorization: Bearer KEY or X-Api-Key, through the Authenticator), per-key rate
// limiting (token bucket; 429 with Retry-After), the response cache (GET routes marked cacheable, keyed by
// tenant and target, through a cache::Cache with tag invalidation), and response compression (br, zstd or
// gzip by Accept-Encoding q-values, above a size threshold, never for bodies marked not compressible, with
// Vary: Accept-Encoding). These steps see the request's header only: a buffered body is read once they
// admitted the request, so a refused upload (401, 403, 413 by Content-Length, 429) is answered without
// reading its body. It enforces header and body limits and read timeouts, keeps connections alive, serves
// FileBody responses with Range, conditional requests and sendfile, and streams Server-Sent Events (a
// client that stops reading is dropped after a write timeout or a bound on queued bytes).
// start() and stop() may be called from any thread; the Router and the collaborators must outlive the server.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "cache/cache.hpp"
#include "core/error.hpp"
#include "core/metrics.hpp"
#include "http/rate_limiter.hpp"
#include "http/router.hpp"

namespace vidgen::http {

// Looks up an API key. Called on a handler thread. not_found → 401.
using Authenticator = std::function<Result<Principal>(std::string_view api_key)>;

struct CompressionOptions {
    std::uint64_t threshold = 1024;  // bytes; smaller bodies are sent as they are
    bool brotli = true;
    int level = 6;  // 1..11 on brotli's scale; gzip and zstd use the nearest of theirs
};

struct ServerOptions {
    std::string listen = "127.0.0.1:8080";  // port 0: any free port (see Server::port)
    int io_threads = 2;
    int handler_threads = 8;
    std::uint64_t max_header_bytes = 16 * 1024;
    std::uint64_t max_body_bytes = 4 * 1024 * 1024;   // default for buffered routes
    std::chrono::milliseconds read_timeout{30'000};   // per read of headers or body; slow clients are dropped
    std::chrono::milliseconds idle_timeout{60'000};   // keep-alive connection with no request
    std::chrono::milliseconds sse_keepalive{15'000};  // comment line sent on idle event streams
    // An event stream whose client stops reading is dropped when one event's write takes longer than
    // this, or when more than sse_max_queued_bytes wait to be written.
    std::chrono::milliseconds sse_write_timeout{30'000};
    std::uint64_t sse_max_queued_bytes = 1 << 20;
    CompressionOptions compression;
    RateLimit rate_limit;  // buckets in this process, unless rate_limiter is set
    // When set, decides instead of rate_limit's local buckets (make_redis_rate_limiter: shared by nodes).
    // Must outlive the server.
    RateLimiter* rate_limiter = nullptr;
    std::chrono::milliseconds response_cache_ttl{5'000};  // default when a response names none
    // A key the Authenticator accepted is trusted for this long without asking again, so a revoked key
    // keeps working for up to this long. 0: ask on every request.
    std::chrono::milliseconds auth_memo_ttl{10'000};
};

class Server {
  public:
    // `cache` (response cache) and `metrics` may be null to disable those features.
    Server(ServerOptions options, const Router& router, Authenticator authenticator, cache::Cache* cache,
           MetricsRegistry* metrics);
    ~Server();  // stops
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds and starts the threads. Errors: the address is malformed or cannot be bound.
    Result<void> start();
    // The bound port (useful with port 0).
    std::uint16_t port() const;
    // Stops accepting, lets in-flight requests finish for up to `grace`, closes event streams, then stops
    // the threads. Idempotent.
    void stop(std::chrono::milliseconds grace = std::chrono::milliseconds{10'000});

    // Figures for /health/performance: totals since start and latency percentiles of recent requests.
    struct Performance {
        std::uint64_t total_requests = 0;
        std::uint64_t in_flight = 0;
        double average_ms = 0, p50_ms = 0, p95_ms = 0, p99_ms = 0;
        double uptime_seconds = 0;
    };
    Performance performance() const;

  private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace vidgen::http
