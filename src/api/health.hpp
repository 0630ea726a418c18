// Health endpoints: liveness (GET /health, /api/v1/health), readiness (GET /health/ready: database, disk
// and workers, 200 or 503) and GET /health/performance (services' figures and the server's latency).
// A HealthChecks object keeps the running average of the database calls it timed; thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "api/context.hpp"
#include "http/message.hpp"

namespace vidgen::api {

// Readiness needs this much free space under the data dir, or kMinFreeShare of the disk.
inline constexpr std::uint64_t kMinFreeBytes = 1ull << 30;
inline constexpr double kMinFreeShare = 0.05;

class HealthChecks {
  public:
    explicit HealthChecks(Context& context) : context_(context) {}

    // {"status":"ok"}
    http::Response liveness() const;
    // {"status":"ready"|"not_ready","checks":{"database","disk","workers"}} each {"status":"ok"|"fail",…}.
    http::Response readiness();
    // {"status":"ok"|"degraded","services":{"cache":{"status","hitRate",…},"database":{"status",
    // "avgQueryTime",…},"storage":{"status","freeBytes",…}},"performance":{"uptime","totalRequests",
    // "averageResponseTime","p50","p95","p99"}}; times in milliseconds, uptime in seconds.
    http::Response performance();

  private:
    struct DatabaseCheck {
        bool ok = false;
        double milliseconds = 0;
    };
    // Times one cheap store call and adds it to the running average.
    DatabaseCheck check_database();
    double average_query_ms() const;

    Context& context_;
    std::atomic<std::uint64_t> timed_calls_{0};
    std::atomic<double> timed_total_ms_{0};
};

}  // namespace vidgen::api
