// The API under test, over real HTTP: a real SQLite store, LocalBlobStore and MemoryCache in a private temp
// dir, a JobQueue, the in-process EventBus, the Router with every route of add_routes, and an http::Server on
// 127.0.0.1 (port 0) with the API's authenticator and the memory cache as its response cache; two tenants
// ("acme" and "globex") with an API key each, and an admin key. Requests go through libcurl in send() (and
// get/post/put/del); event streams through open_events(), read on a thread of their own.
#pragma once

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "api/context.hpp"
#include "blob/local_blob_store.hpp"
#include "cache/memory_cache.hpp"
#include "core/metrics.hpp"
#include "core/scratch_dir.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "queue/events.hpp"
#include "queue/job_queue.hpp"
#include "store/store.hpp"

namespace vidgen::api::testing {

inline constexpr const char* kKeyA = "vg_test_key_acme";       // tenant_a_
inline constexpr const char* kKeyB = "vg_test_key_globex";     // tenant_b_
inline constexpr const char* kAdminKey = "vg_test_key_admin";  // tenant_a_, admin

// The value of a Result, or a test failure naming its error.
template <typename T>
T must(Result<T> result) {
    EXPECT_TRUE(result.has_value()) << result.error().to_string();
    if constexpr (!std::is_void_v<T>) return std::move(result.value());
}

struct Reply {
    int status = 0;
    http::Headers headers;
    std::string body;
    // The body as JSON; null when it is not JSON.
    boost::json::value json() const;
    // The "field" of every problem a validation error lists, in order.
    std::vector<std::string> error_fields() const;
};

struct Call {
    http::Method method = http::Method::get;
    std::string target;  // "/api/v1/jobs?status=done", percent-encoded as on the wire
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string key = kKeyA;  // sent as Authorization: Bearer; empty: no key
};

struct SseEvent {
    std::string event;
    std::string data;
};

// One open event stream; events arrive on another thread.
class EventStream {
  public:
    // Waits until `count` events arrived (or `timeout` passed) and returns every event so far.
    std::vector<SseEvent> wait_for(std::size_t count,
                                   std::chrono::milliseconds timeout = std::chrono::seconds{5});
    // Waits until the server closed the stream; false when it is still open after `timeout`.
    bool wait_closed(std::chrono::milliseconds timeout = std::chrono::seconds{5});

    // The status of the response that opened the stream (0 when the server never answered).
    int status();
    // The body when the response was not a stream (an error), once the server ended it.
    std::string body();

    // Called by the client thread.
    void set_status(int status);
    void append(std::string_view bytes);  // response body bytes, parsed as SSE when the status is 200
    void close();

  private:
    void dispatch_line(std::string_view line);

    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<SseEvent> events_;
    int status_ = 0;
    bool closed_ = false;
    std::string body_, pending_;
    SseEvent current_;
};

class ApiTest : public ::testing::Test {
  protected:
    void SetUp() override;
    void TearDown() override;

    Reply send(const Call& call);
    Reply get(std::string target, std::string key = kKeyA);
    Reply post(std::string target, std::string body, std::string key = kKeyA);
    Reply put(std::string target, std::string body, std::string key = kKeyA);
    Reply del(std::string target, std::string key = kKeyA);
    // Opens an event stream with GET `target`; keep it until the end of the test (it holds a subscription).
    std::shared_ptr<EventStream> open_events(std::string target, std::string key = kKeyA);

    // Creates a template for tenant A (or `key`'s tenant) and returns its id.
    std::string create_template(const std::string& spec_json, std::string key = kKeyA);
    // POST /api/v1/video/create with `body` and returns the reply.
    Reply create_job(const std::string& body, std::string key = kKeyA);

    std::unique_ptr<ScratchDir> scratch_;
    std::unique_ptr<store::Store> store_;
    std::unique_ptr<blob::LocalBlobStore> blobs_;
    std::unique_ptr<cache::MemoryCache> cache_;
    std::unique_ptr<queue::JobQueue> queue_;
    std::unique_ptr<queue::EventBus> events_;
    std::unique_ptr<MetricsRegistry> metrics_;
    Context context_;
    http::Router router_;
    std::unique_ptr<http::Server> server_;
    store::Tenant tenant_a_, tenant_b_;

  private:
    void create_tenants();

    std::string base_url_;                     // "http://127.0.0.1:PORT"
    std::vector<std::thread> stream_threads_;  // end when the server stops
};

// A small valid spec: 64×64, one second of a color clip.
std::string tiny_spec_json();

}  // namespace vidgen::api::testing
