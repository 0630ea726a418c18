#include "worker/webhooks.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/json_text.hpp"
#include "core/log.hpp"
#include "queue/job_json.hpp"
#include "worker/periodic.hpp"
#include "worker/webhook_post.hpp"

namespace vidgen::worker {
namespace {

constexpr std::size_t kSeenLimit = 10000;
constexpr int kScanLimit = 100;  // owed deliveries taken over per scan; the rest wait for the next one

bool is_final(const std::string& type) {
    return type == "done" || type == "failed" || type == "canceled";
}

store::TimeMs unix_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

store::TimeMs to_ms(double seconds) {
    return std::llround(seconds * 1000);
}

// The wait before attempt `attempt` + 1 after attempt `attempt` failed.
double backoff_seconds(const WebhookOptions& options, int attempt) {
    return options.first_retry_seconds * std::pow(2.0, attempt - 1);
}

}  // namespace

WebhookDispatcher::WebhookDispatcher(store::Store& store, queue::EventBus& events, WebhookOptions options)
    : store_(store), options_(std::move(options)) {
    for (int i = 0; i < std::max(options_.threads, 1); ++i)
        threads_.emplace_back([this](const std::stop_token& stop) { run(stop); });
    threads_.emplace_back([this](const std::stop_token& stop) {
        run_periodically(stop, interval_of(options_.scan_seconds), [this] { scan(); });
    });
    subscription_ = events.subscribe_all([this](const queue::JobEvent& event) { on_event(event); });
}

WebhookDispatcher::~WebhookDispatcher() {
    subscription_.reset();
    for (auto& thread : threads_) thread.request_stop();
    threads_.clear();
}

void WebhookDispatcher::on_event(const queue::JobEvent& event) {
    if (!is_final(event.type) || event.remote) return;  // the publishing node delivers it
    std::string name = "job." + event.type;
    {
        std::lock_guard lock(mutex_);
        if (!first_time(event.job_id, name)) return;
        ++pushes_;
        pending_.push(
            {.due = Clock::now(), .tenant_id = event.tenant_id, .job_id = event.job_id, .event = name});
    }
    wake_.notify_one();
}

// Remembers the job's event; false when it was seen before. Called with mutex_ held.
bool WebhookDispatcher::first_time(const std::string& job_id, const std::string& event) {
    auto [_, inserted] = seen_.insert(job_id + " " + event);
    if (!inserted) return false;
    seen_order_.push_back(job_id + " " + event);
    if (seen_order_.size() > kSeenLimit) {
        seen_.erase(seen_order_.front());
        seen_order_.pop_front();
    }
    return true;
}

void WebhookDispatcher::run(const std::stop_token& stop) {
    std::unique_lock lock(mutex_);
    while (!stop.stop_requested()) {
        if (pending_.empty()) {
            wake_.wait(lock, stop, [&] { return !pending_.empty(); });
            continue;
        }
        if (pending_.top().due > Clock::now()) {
            auto due = pending_.top().due;
            auto seen = pushes_;  // an earlier delivery queued meanwhile ends the wait
            wake_.wait_until(lock, stop, due, [&] { return pushes_ != seen; });
            continue;
        }
        Delivery delivery = pending_.top();
        pending_.pop();
        lock.unlock();
        attempt(std::move(delivery));
        lock.lock();
    }
}

// Fills the URL and body on the first attempt; false when the job has no webhook (or is gone).
bool WebhookDispatcher::load(Delivery& delivery) {
    if (!delivery.url.empty()) return true;
    auto job = store_.get_job(delivery.tenant_id, delivery.job_id);
    if (!job || job->webhook_url.empty()) return false;
    auto outputs = store_.list_outputs(delivery.tenant_id, delivery.job_id);
    boost::json::object body{
        {"event", delivery.event},
        {"job", queue::job_object(*job, outputs ? *outputs : std::vector<store::Output>{},
                                  options_.media_url_prefix)}};
    delivery.url = job->webhook_url;
    delivery.body = json_text(body);
    return true;
}

void WebhookDispatcher::attempt(Delivery delivery) {
    if (!load(delivery)) return;
    auto answer = post_webhook({.url = delivery.url,
                                .body = delivery.body,
                                .secret = options_.secret,
                                .timestamp = unix_ms() / 1000,
                                .timeout_seconds = options_.timeout_seconds,
                                .allow_private_targets = options_.allow_private_targets});
    store::WebhookDelivery record{.tenant_id = delivery.tenant_id,
                                  .job_id = delivery.job_id,
                                  .url = delivery.url,
                                  .event = delivery.event,
                                  .attempt = delivery.attempt,
                                  .status_code = answer ? *answer : 0,
                                  .error = answer ? "" : answer.error().message,
                                  .created = unix_ms()};
    bool delivered = answer && *answer / 100 == 2;
    if (answer && !delivered) record.error = fmt::format("HTTP status {}", *answer);
    if (auto saved = store_.record_delivery(record); !saved)
        spdlog::warn("webhook of job {}: cannot record the delivery: {}", delivery.job_id,
                     saved.error().to_string());
    bool refused = !answer && answer.error().code == Code::unsupported;
    if (delivered || refused || delivery.attempt >= options_.max_attempts) return;
    auto wait = backoff_seconds(options_, delivery.attempt);
    delivery.due = Clock::now() + std::chrono::milliseconds(to_ms(wait));
    ++delivery.attempt;
    {
        std::lock_guard lock(mutex_);
        ++pushes_;
        pending_.push(std::move(delivery));
    }
    wake_.notify_one();
}

// Takes over the deliveries the store says are owed and overdue by takeover_seconds.
void WebhookDispatcher::scan() {
    auto now = unix_ms();
    auto owed =
        store_.list_owed_webhooks(now - to_ms(options_.scan_window_seconds),
                                  now - to_ms(options_.takeover_seconds), options_.max_attempts, kScanLimit);
    if (!owed) {
        spdlog::warn("webhooks: cannot scan for owed deliveries: {}", owed.error().to_string());
        return;
    }
    bool queued = false;
    {
        std::lock_guard lock(mutex_);
        for (const auto& delivery : *owed) queued = queue_owed(delivery, now) || queued;
    }
    if (queued) wake_.notify_all();
}

// Queues the owed delivery's next attempt unless its backoff (from the last recorded attempt) ended less
// than takeover_seconds ago, or this process already delivers it. Called with mutex_ held.
bool WebhookDispatcher::queue_owed(const store::WebhookDelivery& owed, store::TimeMs now) {
    auto due = owed.created + (owed.attempt == 0 ? 0 : to_ms(backoff_seconds(options_, owed.attempt)));
    if (due > now - to_ms(options_.takeover_seconds)) return false;
    if (!first_time(owed.job_id, owed.event)) return false;
    ++pushes_;
    pending_.push({.due = Clock::now(),
                   .tenant_id = owed.tenant_id,
                   .job_id = owed.job_id,
                   .event = owed.event,
                   .attempt = owed.attempt + 1});
    return true;
}

}  // namespace vidgen::worker
