// The worker fixture with what the webhook tests share: a job enqueued with a webhook URL, and a bounded
// wait for its recorded deliveries.
#pragma once

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "worker_fixture.hpp"

namespace vidgen::worker::testing {

class WebhookFixture : public WorkerTest {
  protected:
    store::Job enqueue_with_webhook(const std::string& url) {
        store::Job job;
        job.tenant_id = tenant_.id;
        job.spec_json = colour_spec(0.4);
        job.webhook_url = url;
        return must(queue_->enqueue(std::move(job))).job;
    }

    // Waits (bounded) until `count` deliveries of the job are recorded; sorted by attempt.
    std::vector<store::WebhookDelivery> deliveries(const store::Job& job, std::size_t count) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        for (;;) {
            auto found = must(store_->list_deliveries(tenant_.id, job.id));
            if (found.size() >= count || std::chrono::steady_clock::now() > deadline) {
                std::ranges::stable_sort(found, {}, &store::WebhookDelivery::attempt);
                return found;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
};

}  // namespace vidgen::worker::testing
