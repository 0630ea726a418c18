// What every session of one server shares: options, collaborators, the thread pools, the middleware's
// state and the registries of live sessions and event streams (so stop() can close them). Owned by
// Server::Impl; outlives every session. Members are thread-safe or immutable after construction.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "http/detail/latency_ring.hpp"
#include "http/detail/principal_memo.hpp"
#include "http/rate_limiter.hpp"
#include "http/server.hpp"

namespace vidgen::http::detail {

// The metric families, looked up once; all null when the server has no registry.
struct ServerMetrics {
    Family<Counter>* requests = nullptr;    // http_requests_total{route,method,status}
    Family<Histogram>* duration = nullptr;  // http_request_duration_seconds{route,method}
    Gauge* in_flight = nullptr;             // http_requests_in_flight
    Counter* raw_bytes = nullptr;           // http_response_body_bytes_total{stage="raw"}
    Counter* sent_bytes = nullptr;          // http_response_body_bytes_total{stage="sent"}
};

// Something stop() must close: a session's socket or an event stream.
using Closer = std::function<void()>;

class ServerState {
    // A route's series for its own method, so the hot path finds them without the registry's lock.
    struct RouteSeries {
        Histogram* duration = nullptr;
        std::array<std::atomic<Counter*>, 500> by_status{};  // status - 100, resolved on first use
    };

    mutable std::mutex mutex_;
    std::unordered_map<const void*, Closer> closers_;
    std::vector<std::unique_ptr<RouteSeries>> route_series_;  // parallel to router.routes()

  public:
    ServerState(ServerOptions options, const Router& router, Authenticator authenticator, cache::Cache* cache,
                MetricsRegistry* metrics);

    const ServerOptions options;
    const Router& router;
    const Authenticator authenticator;
    cache::Cache* const cache;
    ServerMetrics metrics;
    PrincipalMemo memo;
    const std::unique_ptr<RateLimiter> own_limiter;  // from options.rate_limit, unless one was given
    RateLimiter* const limiter;                      // null: unlimited
    LatencyRing latencies;
    std::atomic<bool> draining{false};  // stop() began: finish what is in flight, start nothing new
    std::atomic<bool> stopping{false};  // the grace period is over: streamed bodies are cut off
    std::atomic<std::int64_t> in_flight{0};
    const std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

    // Registers `closer` under `owner` until forget(owner); close_all() runs every registered closer.
    void track(const void* owner, Closer closer);
    void forget(const void* owner);
    void close_all();
    std::size_t tracked() const;

    // Counts one finished exchange in the metrics and the latency ring.
    // `route` is null when none matched.
    void record(const Route* route, Method method, int status, std::chrono::steady_clock::time_point started);
    void record_bytes(std::uint64_t raw, std::uint64_t sent);

    // Last, so they go first: sessions their pending operations own die while the rest is still here.
    boost::asio::thread_pool handlers;
    boost::asio::io_context io;
};

}  // namespace vidgen::http::detail
