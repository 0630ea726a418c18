#include "http/detail/server_state.hpp"

#include <string>

namespace vidgen::http::detail {
namespace {

ServerMetrics register_metrics(MetricsRegistry* registry) {
    ServerMetrics metrics;
    if (registry == nullptr) return metrics;
    metrics.requests =
        &registry->counter("http_requests_total", "HTTP requests answered", {"route", "method", "status"});
    metrics.duration = &registry->histogram("http_request_duration_seconds", "Time from request to response",
                                            {"route", "method"});
    metrics.in_flight = &registry->gauge("http_requests_in_flight", "HTTP requests being answered").with({});
    auto& bytes =
        registry->counter("http_response_body_bytes_total",
                          "Response body bytes before (raw) and after (sent) compression", {"stage"});
    metrics.raw_bytes = &bytes.with({"raw"});
    metrics.sent_bytes = &bytes.with({"sent"});
    return metrics;
}

}  // namespace

ServerState::ServerState(ServerOptions options_in, const Router& router_in, Authenticator authenticator_in,
                         cache::Cache* cache_in, MetricsRegistry* registry)
    : options(std::move(options_in)),
      router(router_in),
      authenticator(std::move(authenticator_in)),
      cache(cache_in),
      metrics(register_metrics(registry)),
      memo(options.auth_memo_ttl),
      own_limiter(options.rate_limiter == nullptr && options.rate_limit.requests_per_second > 0
                      ? make_local_rate_limiter(options.rate_limit)
                      : nullptr),
      limiter(options.rate_limiter != nullptr ? options.rate_limiter : own_limiter.get()),
      handlers(static_cast<std::size_t>(std::max(1, options.handler_threads))),
      io(std::max(1, options.io_threads)) {
    if (metrics.requests == nullptr) return;
    for (const Route& route : router.routes()) {
        auto series = std::make_unique<RouteSeries>();
        series->duration = &metrics.duration->with({route.options.name, method_name(route.method)});
        route_series_.push_back(std::move(series));
    }
}

void ServerState::track(const void* owner, Closer closer) {
    std::lock_guard lock(mutex_);
    closers_.insert_or_assign(owner, std::move(closer));
}

void ServerState::forget(const void* owner) {
    std::lock_guard lock(mutex_);
    closers_.erase(owner);
}

void ServerState::close_all() {
    std::vector<Closer> closers;
    {
        std::lock_guard lock(mutex_);
        for (auto& [owner, closer] : closers_) closers.push_back(closer);
    }
    for (auto& closer : closers) closer();
}

std::size_t ServerState::tracked() const {
    std::lock_guard lock(mutex_);
    return closers_.size();
}

void ServerState::record(const Route* route, Method method, int status,
                         std::chrono::steady_clock::time_point started_at) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_at).count();
    latencies.record(seconds * 1000);
    if (metrics.requests == nullptr) return;
    const std::string_view route_name = route ? std::string_view(route->options.name) : "unmatched";
    const std::string_view method_text = method_name(method);
    if (!route || route->method != method || status < 100 || status >= 600) {
        metrics.requests->with({route_name, method_text, std::to_string(status)}).add();
        metrics.duration->with({route_name, method_text}).observe(seconds);
        return;
    }
    RouteSeries& series = *route_series_[static_cast<std::size_t>(route - router.routes().data())];
    std::atomic<Counter*>& slot = series.by_status[static_cast<std::size_t>(status - 100)];
    Counter* counter = slot.load(std::memory_order_acquire);
    if (counter == nullptr) {
        counter = &metrics.requests->with({route_name, method_text, std::to_string(status)});
        slot.store(counter, std::memory_order_release);
    }
    counter->add();
    series.duration->observe(seconds);
}

void ServerState::record_bytes(std::uint64_t raw, std::uint64_t sent) {
    if (metrics.raw_bytes == nullptr) return;
    metrics.raw_bytes->add(static_cast<double>(raw));
    metrics.sent_bytes->add(static_cast<double>(sent));
}

}  // namespace vidgen::http::detail
