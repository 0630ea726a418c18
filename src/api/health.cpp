#include "api/health.hpp"

#include <boost/json.hpp>

#include <filesystem>
#include <system_error>

#include "core/json_text.hpp"
#include "http/server.hpp"

namespace vidgen::api {
namespace {

namespace json = boost::json;

const char* status_word(bool ok) {
    return ok ? "ok" : "fail";
}

struct DiskSpace {
    bool known = false;
    std::uint64_t free_bytes = 0;
    std::uint64_t total_bytes = 0;
    bool enough() const {
        return known && (free_bytes > kMinFreeBytes ||
                         static_cast<double>(free_bytes) > kMinFreeShare * static_cast<double>(total_bytes));
    }
};

DiskSpace disk_space(const std::filesystem::path& data_dir) {
    std::error_code ec;
    auto space = std::filesystem::space(data_dir.empty() ? std::filesystem::path(".") : data_dir, ec);
    if (ec) return {};
    return {.known = true, .free_bytes = space.available, .total_bytes = space.capacity};
}

json::object disk_object(const DiskSpace& disk) {
    return {{"status", status_word(disk.enough())},
            {"freeBytes", disk.free_bytes},
            {"totalBytes", disk.total_bytes}};
}

json::object workers_object(const Context& context) {
    if (!context.renders) return {{"status", "ok"}, {"total", 0}, {"busy", 0}, {"renders", false}};
    if (!context.workers) return {{"status", "fail"}, {"total", 0}, {"busy", 0}};
    WorkerFigures figures = context.workers();
    return {{"status", status_word(figures.total > 0)}, {"total", figures.total}, {"busy", figures.busy}};
}

json::object cache_object(const cache::Cache& cache) {
    std::uint64_t hits = 0, misses = 0, entries = 0, bytes = 0;
    for (const auto& layer : cache.stats().layers) {
        hits += layer.hits;
        misses += layer.misses;
        entries += layer.entries;
        bytes += layer.bytes;
    }
    double rate = hits + misses == 0 ? 0.0 : static_cast<double>(hits) / static_cast<double>(hits + misses);
    return {{"status", "ok"},   {"hitRate", rate},    {"hits", hits},
            {"misses", misses}, {"entries", entries}, {"bytes", bytes}};
}

// null when performance monitoring is off (Context::server not set).
json::value server_object(const http::Server* server) {
    if (server == nullptr) return nullptr;
    http::Server::Performance figures = server->performance();
    return json::object{{"uptime", figures.uptime_seconds},
                        {"totalRequests", figures.total_requests},
                        {"inFlight", figures.in_flight},
                        {"averageResponseTime", figures.average_ms},
                        {"p50", figures.p50_ms},
                        {"p95", figures.p95_ms},
                        {"p99", figures.p99_ms}};
}

}  // namespace

http::Response HealthChecks::liveness() const {
    return http::Response::json(200, R"({"status":"ok"})");
}

http::Response HealthChecks::readiness() {
    DatabaseCheck database = check_database();
    json::object disk = disk_object(disk_space(context_.data_dir));
    json::object workers = workers_object(context_);
    bool ready = database.ok && disk["status"] == "ok" && workers["status"] == "ok";
    json::object checks{
        {"database", {{"status", status_word(database.ok)}, {"latencyMs", database.milliseconds}}},
        {"disk", std::move(disk)},
        {"workers", std::move(workers)}};
    json::object body{{"status", ready ? "ready" : "not_ready"}, {"checks", std::move(checks)}};
    return http::Response::json(ready ? 200 : 503, json_text(body));
}

http::Response HealthChecks::performance() {
    DatabaseCheck database = check_database();
    json::object storage = disk_object(disk_space(context_.data_dir));
    bool ok = database.ok && storage["status"] == "ok";
    json::object services{{"cache", cache_object(*context_.cache)},
                          {"database",
                           {{"status", status_word(database.ok)},
                            {"avgQueryTime", average_query_ms()},
                            {"lastQueryTime", database.milliseconds}}},
                          {"storage", std::move(storage)}};
    json::object body{{"status", ok ? "ok" : "degraded"},
                      {"services", std::move(services)},
                      {"performance", server_object(context_.server)}};
    return http::Response::json(200, json_text(body));
}

HealthChecks::DatabaseCheck HealthChecks::check_database() {
    auto start = std::chrono::steady_clock::now();
    bool ok = context_.store->schema_version().has_value();
    std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
    timed_calls_.fetch_add(1);
    timed_total_ms_.fetch_add(took.count());
    return {ok, took.count()};
}

double HealthChecks::average_query_ms() const {
    std::uint64_t calls = timed_calls_.load();
    return calls == 0 ? 0.0 : timed_total_ms_.load() / static_cast<double>(calls);
}

}  // namespace vidgen::api
