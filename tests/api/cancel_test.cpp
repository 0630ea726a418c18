// POST /api/v1/jobs/{id}/cancel against a job an in-process WorkerPool is rendering: the render stops
// before its end (no output, no blob, progress short of 1) and the job ends canceled. The queue's periodic
// cancel check is set far beyond the test's length, so the worker can only learn of the cancel through the
// event bus (the cancel event wakes the job's LeaseHeartbeat).
#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>

#include "api_fixture.hpp"
#include "worker/worker_pool.hpp"

namespace vidgen::api::testing {
namespace {

using namespace std::chrono_literals;

// 300 s whose colour changes every frame at 64×64: rendered frame by frame, for far longer than the test
// waits for the cancel to land.
std::string long_moving_spec() {
    return R"({"output":{"width":64,"height":64,"fps":25,"format":"mp4"},"timeline":{"tracks":[{"clips":[)"
           R"({"type":"color","color":[{"time":0,"value":"#000000"},{"time":300,"value":"#ffffff"}],)"
           R"("start":0,"length":300}]}]}})";
}

class CancelTest : public ApiTest {
  protected:
    void SetUp() override {
        ApiTest::SetUp();
        queue::QueueOptions options;
        options.lease_seconds = 3600;
        options.cancel_check_seconds = 3600;
        queue_ = std::make_unique<queue::JobQueue>(*store_, options);
        context_.queue = queue_.get();
        subscription_ = events_->subscribe_all([this](const queue::JobEvent& event) {
            std::lock_guard lock(mutex_);
            seen_.push_back(event.type);
            changed_.notify_all();
        });
    }

    // `threads` workers; jobs longer than `segment_threshold` seconds (0: none) render in 60 s segments.
    void start_pool(int threads, double segment_threshold = 0) {
        worker::WorkerServices services{
            .queue = *queue_, .store = *store_, .blobs = *blobs_, .events = events_.get()};
        worker::PoolOptions pool{.threads = threads, .worker_id = "cancel-test", .idle_poll = 100ms};
        pool.job.render_threads = 1;
        pool.job.segment_threshold = segment_threshold;
        pool.job.scratch_root = scratch_->path() / "scratch";
        std::filesystem::create_directories(pool.job.scratch_root);
        pool_ = std::make_unique<worker::WorkerPool>(services, pool);
        pool_->start();
    }

    void TearDown() override {
        if (pool_) pool_->stop(true);
        subscription_.reset();
        ApiTest::TearDown();
    }

    // Waits (bounded only so that a broken build fails rather than hangs) for an event of `type`.
    bool wait_for_event(const std::string& type) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, 60s, [&] { return std::ranges::count(seen_, type) > 0; });
    }

    // Waits (bounded likewise) until the workers' figures satisfy `done`.
    bool wait_for_workers(const std::function<bool(const worker::WorkerFigures&)>& done) {
        for (auto give_up = std::chrono::steady_clock::now() + 60s;
             std::chrono::steady_clock::now() < give_up; std::this_thread::sleep_for(10ms)) {
            if (done(pool_->figures())) return true;
        }
        return false;
    }

    std::string start_long_job() {
        auto reply = create_job(R"({"spec":)" + long_moving_spec() + "}");
        EXPECT_EQ(reply.status, 202) << reply.body;
        return std::string(reply.json().at("id").as_string());
    }

    void expect_stopped_and_canceled(const std::string& id, int jobs = 1) {
        ASSERT_TRUE(wait_for_workers([&](const auto& f) { return f.finished >= jobs && f.busy == 0; }));
        auto figures = pool_->figures();
        EXPECT_EQ(figures.finished, jobs);
        EXPECT_EQ(figures.rendered, 0) << "the render ran to its end";
        EXPECT_TRUE(must(blobs_->list()).empty()) << "the render ran to its end";
        auto job = get("/api/v1/jobs/" + id).json().as_object();
        EXPECT_EQ(job.at("status").as_string(), "canceled");
        EXPECT_LT(job.at("progress").to_number<double>(), 1.0);
        EXPECT_TRUE(job.at("outputs").as_array().empty());
    }

    std::unique_ptr<worker::WorkerPool> pool_;
    std::unique_ptr<queue::Subscription> subscription_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::string> seen_;
};

TEST_F(CancelTest, CancelDuringTheFramesStopsTheRender) {
    start_pool(1);
    std::string id = start_long_job();
    ASSERT_TRUE(wait_for_event("progress")) << get("/api/v1/jobs/" + id).body;
    ASSERT_EQ(post("/api/v1/jobs/" + id + "/cancel", "").status, 200);
    expect_stopped_and_canceled(id);
}

TEST_F(CancelTest, CancelAsTheRenderStartsStopsIt) {
    start_pool(1);
    std::string id = start_long_job();
    ASSERT_TRUE(wait_for_event("rendering"));
    ASSERT_EQ(post("/api/v1/jobs/" + id + "/cancel", "").status, 200);
    expect_stopped_and_canceled(id);
}

// The parent's worker and another rendering one of its segments both stop: the segment's worker hears
// the parent's cancel event (a parent's cancel publishes nothing for its segments).
TEST_F(CancelTest, CancelOfASegmentedJobStopsTheWorkersOfItsSegments) {
    start_pool(2, 10);
    std::string id = start_long_job();
    ASSERT_TRUE(wait_for_workers([](const auto& f) { return f.busy == 2; }));
    ASSERT_EQ(post("/api/v1/jobs/" + id + "/cancel", "").status, 200);
    expect_stopped_and_canceled(id, 2);
}

}  // namespace
}  // namespace vidgen::api::testing
