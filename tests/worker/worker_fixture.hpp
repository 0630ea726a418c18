// A real SQLite store and local blob store in a private temp folder, a JobQueue over them, an in-process
// event bus that records every event, and tiny specs (64×64 colour clips) that render in milliseconds.
#pragma once

#include <gtest/gtest.h>

#include <fmt/format.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "blob/local_blob_store.hpp"
#include "core/scratch_dir.hpp"
#include "queue/events.hpp"
#include "queue/job_queue.hpp"
#include "store/store.hpp"
#include "worker/job_runner.hpp"

namespace vidgen::worker::testing {

template <typename T>
T must(Result<T> result) {
    if (!result) throw std::runtime_error(result.error().to_string());
    if constexpr (!std::is_void_v<T>) return std::move(*result);
}

// A spec of one colour clip, `seconds` long, 64×64 at 25 fps.
inline std::string colour_spec(double seconds = 0.5, std::string_view colour = "#ff0000") {
    return fmt::format(
        R"({{"output":{{"width":64,"height":64,"fps":25,"format":"mp4"}},"timeline":{{"tracks":[{{"clips":[)"
        R"({{"type":"color","color":"{}","start":0,"length":{}}}]}}]}}}})",
        colour, seconds);
}

// A spec whose colour changes every frame, `seconds` long: rendered frame by frame (no still runs), so a
// cancel or a shutdown reaches it between two frames.
inline std::string moving_spec(double seconds) {
    return fmt::format(
        R"({{"output":{{"width":64,"height":64,"fps":25,"format":"mp4"}},"timeline":{{"tracks":[{{"clips":[)"
        R"({{"type":"color","color":[{{"time":0,"value":"#000000"}},{{"time":{},"value":"#ffffff"}}],)"
        R"("start":0,"length":{}}}]}}]}}}})",
        seconds, seconds);
}

// A spec of one image clip from `src`, 0.4 s long.
inline std::string image_spec(std::string_view src) {
    return fmt::format(
        R"({{"output":{{"width":64,"height":64,"fps":25,"format":"mp4"}},"timeline":{{"tracks":[{{"clips":[)"
        R"({{"type":"image","src":"{}","start":0,"length":0.4}}]}}]}}}})",
        src);
}

// Every event the bus delivers for the tenant, in order; waits for one by predicate.
class EventLog {
  public:
    void add(const queue::JobEvent& event) {
        {
            std::lock_guard lock(mutex_);
            events_.push_back(event);
        }
        changed_.notify_all();
    }
    std::vector<queue::JobEvent> events() const {
        std::lock_guard lock(mutex_);
        return events_;
    }
    // True once an event matching `pred` arrived (bounded wait so a broken build fails instead of hanging).
    bool wait_for(const std::function<bool(const queue::JobEvent&)>& pred) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, std::chrono::seconds(60),
                                 [&] { return std::ranges::any_of(events_, pred); });
    }

  private:
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<queue::JobEvent> events_;
};

class WorkerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        scratch_ = std::make_unique<ScratchDir>(must(ScratchDir::create("vidgen-worker-test")));
        store_ = must(store::open_store("sqlite://" + (scratch_->path() / "vidgen.db").string()));
        blobs_ = must(blob::LocalBlobStore::open_root(scratch_->path() / "media"));
        tenant_ = must(store_->create_tenant({.id = "", .name = "acme", .created = 1000}));
        queue::QueueOptions options;
        options.cancel_check_seconds = 0.1;
        options.retry.max_attempts = 3;
        queue_ = std::make_unique<queue::JobQueue>(*store_, options);
        bus_ = queue::make_local_event_bus();
        subscription_ = bus_->subscribe(tenant_.id, "", [this](const auto& event) { events_.add(event); });
        options_.render_threads = 2;
    }

    WorkerServices services() {
        return {.queue = *queue_, .store = *store_, .blobs = *blobs_, .events = bus_.get()};
    }

    store::Job enqueue(std::string spec_json, std::string data_json = "{}") {
        store::Job job;
        job.tenant_id = tenant_.id;
        job.spec_json = std::move(spec_json);
        job.data_json = std::move(data_json);
        return must(queue_->enqueue(std::move(job))).job;
    }

    // Leases the next job and runs it on this thread.
    JobReport run_next() {
        auto leased = must(queue_->lease("test-worker"));
        if (!leased) throw std::runtime_error("nothing to lease");
        return run_job(services(), options_, *leased, no_shutdown_);
    }

    store::Job stored(const store::Job& job) { return must(store_->get_job(tenant_.id, job.id)); }
    std::vector<store::Output> outputs_of(const store::Job& job) {
        return must(store_->list_outputs(tenant_.id, job.id));
    }

    std::unique_ptr<ScratchDir> scratch_;
    std::unique_ptr<store::Store> store_;
    std::unique_ptr<blob::LocalBlobStore> blobs_;
    store::Tenant tenant_;
    std::unique_ptr<queue::JobQueue> queue_;
    std::unique_ptr<queue::EventBus> bus_;
    EventLog events_;
    std::unique_ptr<queue::Subscription> subscription_;
    WorkerOptions options_;
    std::atomic<bool> no_shutdown_{false};
};

}  // namespace vidgen::worker::testing
