// EventBus: job state changes and progress, published by whoever changes a job (API, workers) and delivered
// to subscribers (Server-Sent Events, webhooks, metrics). The in-process implementation delivers within one
// process; the Redis implementation (redis_event_bus.hpp) carries them between nodes, so a client connected
// to any node sees every node's events. Delivery is best effort and at most once: a subscriber that needs the
// truth reads the store. Thread-safe: publish and subscribe may be called from any thread; callbacks run on
// the publisher's thread with no bus lock held and must not block.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace vidgen::queue {

struct JobEvent {
    std::string tenant_id;
    std::string job_id;
    std::string batch_id;   // empty when the job is not part of a batch
    std::string type;       // "queued", "rendering", "progress", "done", "failed", "canceled"
    std::string status;     // the job's status after the event: queued|rendering|done|failed|canceled
    double progress = 0;    // 0..1
    std::string data_json;  // the event's JSON payload as sent to clients (the job's public view)
    std::int64_t time = 0;  // Unix milliseconds
    bool remote = false;    // published on another node: that node's webhooks deliver it, not this one's
};

using EventCallback = std::function<void(const JobEvent&)>;

// Ends its subscription when destroyed. After the destructor returns, the callback is not running and will
// not run again.
class Subscription {
  public:
    virtual ~Subscription() = default;
};

class EventBus {
  public:
    virtual ~EventBus() = default;
    virtual void publish(const JobEvent& event) = 0;
    // Events of `tenant_id`; only those of `job_id` when it is not empty.
    virtual std::unique_ptr<Subscription> subscribe(std::string_view tenant_id, std::string_view job_id,
                                                    EventCallback callback) = 0;
    // Every tenant's events (webhook dispatch, metrics).
    virtual std::unique_ptr<Subscription> subscribe_all(EventCallback callback) = 0;
};

// The in-process bus of `vidgen serve`.
std::unique_ptr<EventBus> make_local_event_bus();

}  // namespace vidgen::queue
