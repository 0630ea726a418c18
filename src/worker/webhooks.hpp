// WebhookDispatcher: tells a job's webhook URL that the job ended. It listens on the event bus for
// "done", "failed" and "canceled" (from any publisher), reads the job, and POSTs
//   {"event": "job.done", "job": <the job's public JSON view>}
// signed as webhook_post.hpp describes. A delivery that gets no 2xx answer is retried with exponential
// backoff (first_retry_seconds, then twice that, …) up to max_attempts; every attempt is recorded with
// store.record_delivery. Deliveries run on the dispatcher's own threads, never on the publisher's. One
// delivery chain per job and event in a process even when the event is published twice.
// Nothing is lost when a process stops: every scan_seconds (the first at a random point of the first
// interval, so nodes started together spread out) the dispatcher asks the store for ended jobs of the
// last scan_window_seconds that still owe a delivery (Store::list_owed_webhooks: no 2xx, fewer than
// max_attempts recorded) and whose next attempt was due takeover_seconds ago or more — a retry a stopped
// dispatcher dropped, or an event no dispatcher heard — and takes them over, counting the recorded
// attempts. Guarantee: at least once (or max_attempts recorded failures) per ended job with a webhook,
// across restarts. A duplicate needs two dispatchers to attempt the same delivery at once (scans of two
// nodes overlapping one POST, or a live node's attempt later than takeover_seconds); it carries the same
// body, and the same signature scheme and secret when the nodes share them. A refused target is not
// retried by the process that was refused. Construction and destruction belong to the owner; the rest is
// internal and thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <queue>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "queue/events.hpp"
#include "store/store.hpp"

namespace vidgen::worker {

struct WebhookOptions {
    std::string secret;  // the HMAC key receivers verify signatures with
    int max_attempts = 5;
    double first_retry_seconds = 1;
    double timeout_seconds = 10;         // per attempt
    bool allow_private_targets = false;  // tests and trusted networks: allow loopback and private addresses
    int threads = 1;
    std::string media_url_prefix = "/api/v1/media/";
    double scan_seconds = 60;            // how often the store is scanned for deliveries still owed
    double takeover_seconds = 300;       // an owed attempt this long past due is taken over by any dispatcher
    double scan_window_seconds = 86400;  // only jobs that ended this recently are scanned
};

class WebhookDispatcher {
  public:
    // Subscribes to `events` and starts the delivery threads. `store` and `events` must outlive it.
    WebhookDispatcher(store::Store& store, queue::EventBus& events, WebhookOptions options);
    WebhookDispatcher(const WebhookDispatcher&) = delete;
    WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;
    ~WebhookDispatcher();

  private:
    using Clock = std::chrono::steady_clock;
    struct Delivery {
        Clock::time_point due;
        std::string tenant_id;
        std::string job_id;
        std::string event;  // "job.done"
        int attempt = 1;
        std::string url;   // filled on the first attempt
        std::string body;  // likewise
        bool operator>(const Delivery& other) const { return due > other.due; }
    };

    void on_event(const queue::JobEvent& event);
    bool first_time(const std::string& job_id, const std::string& event);
    void run(const std::stop_token& stop);
    void scan();
    bool queue_owed(const store::WebhookDelivery& owed, store::TimeMs now);
    bool load(Delivery& delivery);
    void attempt(Delivery delivery);

    store::Store& store_;
    WebhookOptions options_;
    std::mutex mutex_;  // guards the members below
    std::condition_variable_any wake_;
    std::priority_queue<Delivery, std::vector<Delivery>, std::greater<>> pending_;
    std::uint64_t pushes_ = 0;              // deliveries queued so far
    std::unordered_set<std::string> seen_;  // "<job id> <event>" already queued
    std::deque<std::string> seen_order_;    // oldest first, to bound seen_
    std::vector<std::jthread> threads_;
    std::unique_ptr<queue::Subscription> subscription_;  // last: unsubscribes before the threads stop
};

}  // namespace vidgen::worker
