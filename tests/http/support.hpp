// Test support for the http module: a real Server on 127.0.0.1 port 0 with a memory cache, a metrics
// registry and two API keys, and clients (libcurl, raw sockets) that talk to it.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cache/memory_cache.hpp"
#include "core/metrics.hpp"
#include "http/server.hpp"
#include "support/http_client.hpp"

namespace vidgen::http::testing {

inline constexpr std::string_view kTenantKey = "tenant-key";
inline constexpr std::string_view kAdminKey = "admin-key";

using vidgen::testing::Call;
using vidgen::testing::fetch;
using vidgen::testing::Reply;
using vidgen::testing::upload;

// A connected TCP socket to 127.0.0.1:port (closed by the destructor).
class RawClient {
  public:
    explicit RawClient(std::uint16_t port);
    ~RawClient();
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    bool send(std::string_view bytes);
    // Reads until `marker` has arrived (true) or the peer closes / `timeout_ms` passes (false).
    bool read_until(std::string_view marker, long timeout_ms = 5'000);
    // Reads until the peer closes (true) or the timeout passes (false).
    bool wait_closed(long timeout_ms);
    const std::string& received() const { return received_; }
    int fd() const { return fd_; }

  private:
    int fd_ = -1;
    std::string received_;
};

// A server with the given options (listen is forced to 127.0.0.1:0) and routes; tenant-key and
// admin-key authenticate, every other key is unknown.
class TestServer {
  public:
    explicit TestServer(Router router, ServerOptions options = {});
    ~TestServer();

    std::string url(std::string_view target) const;
    Server& server() { return *server_; }
    cache::MemoryCache& cache() { return cache_; }
    MetricsRegistry& metrics() { return metrics_; }
    int authenticator_calls() const { return authenticator_calls_.load(); }

  private:
    Router router_;
    cache::MemoryCache cache_;
    MetricsRegistry metrics_;
    std::atomic<int> authenticator_calls_{0};
    std::unique_ptr<Server> server_;
};

// Waits (up to 5 s) until the server has no request in flight: a client has its response a moment before
// the server counts the exchange as finished.
void wait_idle(Server& server);

// Options for tests: small timeouts, few threads.
ServerOptions test_options();

}  // namespace vidgen::http::testing
