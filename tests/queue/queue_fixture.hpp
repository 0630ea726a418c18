// A JobQueue over a real SQLite store in a private temp dir, with a clock the test moves by hand and a
// random source that returns a fixed number.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "core/scratch_dir.hpp"
#include "queue/job_queue.hpp"
#include "store/store.hpp"

namespace vidgen::queue::testing {

// The value of a Result, or a test failure naming its error.
template <typename T>
T must(Result<T> result) {
    EXPECT_TRUE(result.has_value()) << result.error().to_string();
    if constexpr (std::is_void_v<T>) {
        result.value();
    } else {
        return std::move(result.value());
    }
}

class QueueTest : public ::testing::Test {
  protected:
    void SetUp() override {
        scratch_ = std::make_unique<ScratchDir>(must(ScratchDir::create("vidgen-queue-test")));
        store_ = must(store::open_store("sqlite://" + (scratch_->path() / "queue.db").string()));
        tenant_ = must(store_->create_tenant({.id = "", .name = "acme", .created = 1000}));
    }

    // Options whose clock is now_ and whose random source returns random_.
    QueueOptions manual_options() {
        QueueOptions options;
        options.clock = [this] { return now_.load(); };
        options.random = [this] { return random_.load(); };
        return options;
    }

    store::Job job(int priority = 0, std::string idempotency_key = {}) const {
        store::Job job;
        job.tenant_id = tenant_.id;
        job.spec_json = R"({"timeline":{"tracks":[]}})";
        job.data_json = "{}";
        job.priority = priority;
        job.idempotency_key = std::move(idempotency_key);
        return job;
    }

    store::Job enqueue(JobQueue& queue, int priority = 0) { return must(queue.enqueue(job(priority))).job; }

    store::Job status_of(const store::Job& job) { return must(store_->get_job(tenant_.id, job.id)); }

    static std::vector<store::Output> output_for(const store::Job& job) {
        return {{.job_id = job.id, .content_key = "sha256/" + job.id + ".mp4", .size = 10, .format = "mp4"}};
    }

    std::unique_ptr<ScratchDir> scratch_;
    std::unique_ptr<store::Store> store_;
    store::Tenant tenant_;
    std::atomic<store::TimeMs> now_{1'000'000};
    std::atomic<double> random_{0.0};
};

}  // namespace vidgen::queue::testing
