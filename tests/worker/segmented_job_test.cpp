// Segment-parallel rendering through the queue: segments are jobs other workers take, the joined output
// equals the single render, a canceled parent cancels its segments, and a parent handed back finds its
// segments again.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "media/audio_decoder.hpp"
#include "media/probe.hpp"
#include "render/render.hpp"
#include "spec/parse.hpp"
#include "worker/segmented_job.hpp"
#include "worker_fixture.hpp"

namespace vidgen::worker::testing {
namespace {

using store::JobStatus;

// `seconds` of colour changing every frame, with the example music as its soundtrack.
std::string long_spec(double seconds, std::string_view music) {
    return fmt::format(
        R"({{"output":{{"width":64,"height":64,"fps":25,"format":"mp4"}},"timeline":{{"duration":{0},)"
        R"("soundtrack":{{"src":"{1}","fade_out":1}},"tracks":[{{"clips":[)"
        R"({{"type":"color","color":[{{"time":0,"value":"#000000"}},{{"time":{0},"value":"#ffffff"}}],)"
        R"("start":0,"length":{0}}}]}}]}}}})",
        seconds, music);
}

class SegmentedJobTest : public WorkerTest {
  protected:
    void SetUp() override {
        WorkerTest::SetUp();
        options_.render_threads = 1;
        options_.segment_threshold = 2;
        options_.segment_seconds = 1;
        auto music = must(blobs_->put_file(music_path(), "audio/mp4"));
        music_ = must(store_->create_asset({.tenant_id = tenant_.id,
                                            .content_key = music.key,
                                            .size = std::int64_t(music.size),
                                            .content_type = "audio/mp4"}));
    }

    static std::filesystem::path music_path() {
        return std::filesystem::path(VIDGEN_SOURCE_DIR) / "examples/media/music.m4a";
    }

    std::vector<store::Job> segments_of(const store::Job& parent) {
        auto page = must(store_->list_jobs({.tenant_id = tenant_.id, .parent_id = parent.id, .limit = 100}));
        std::ranges::sort(page.jobs, {}, &store::Job::segment_first);
        return page.jobs;
    }

    // Runs the parent on its own thread, as a worker would; returns once it ends.
    std::jthread run_parent(JobReport& report, const std::atomic<bool>& shutdown) {
        auto leased = must(queue_->lease("parent-worker"));
        EXPECT_TRUE(leased && leased->parent_id.empty());
        return std::jthread([this, &report, &shutdown, job = *leased] {
            report = run_job(services(), options_, job, shutdown);
        });
    }

    // Waits (bounded) until `parent` has its segments.
    std::vector<store::Job> wait_for_segments(const store::Job& parent) {
        for (int i = 0; i < 3000 && segments_of(parent).empty(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        return segments_of(parent);
    }

    store::Asset music_;
};

TEST_F(SegmentedJobTest, SegmentsTakenByAnotherWorkerJoinIntoTheSingleRender) {
    options_.segment_seconds = 0.5;  // 12 segments: the parent cannot have rendered them all at once
    auto parent = enqueue(long_spec(6, "asset:" + music_.id));
    JobReport parent_report;
    {
        auto thread = run_parent(parent_report, no_shutdown_);
        ASSERT_EQ(wait_for_segments(parent).size(), 12u);
        int taken = 0;  // this thread is a second worker: it takes whatever segments are still queued
        while (auto leased = must(queue_->lease("second-worker"))) {
            EXPECT_EQ(leased->parent_id, parent.id);
            EXPECT_EQ(run_job(services(), options_, *leased, no_shutdown_).outcome, JobOutcome::done);
            ++taken;
        }
        EXPECT_GE(taken, 1);
    }
    ASSERT_EQ(parent_report.outcome, JobOutcome::done) << parent_report.error;

    std::set<std::string> owners;
    std::int64_t next = 0;
    for (const auto& segment : segments_of(parent)) {
        EXPECT_EQ(segment.status, JobStatus::done);
        EXPECT_EQ(segment.segment_first, next);
        next += segment.segment_frames;
        owners.insert(segment.lease_owner);
        for (const auto& output : outputs_of(segment)) EXPECT_FALSE(blobs_->stat(output.content_key));
    }
    EXPECT_EQ(next, 150);
    EXPECT_EQ(owners, (std::set<std::string>{"parent-worker", "second-worker"}));
    for (const auto& event : events_.events()) EXPECT_EQ(event.job_id, parent.id);
    EXPECT_EQ(must(store_->list_jobs({.tenant_id = tenant_.id})).jobs.size(), 1u);

    auto outputs = outputs_of(parent);
    ASSERT_EQ(outputs.size(), 1u);
    auto joined = must(blobs_->open(outputs[0].content_key)).path;
    auto spec = spec::parse(long_spec(6, music_path().string()), {});
    ASSERT_TRUE(spec);
    auto plan = must(render::plan(*spec, {}));
    auto single = scratch_->path() / "single.mp4";
    ASSERT_TRUE(render::render(plan, single, {.threads = 1}));
    auto a = must(media::probe(single));
    auto b = must(media::probe(joined));
    ASSERT_TRUE(b.video() && b.audio());
    EXPECT_DOUBLE_EQ(b.video()->duration, a.video()->duration);
    EXPECT_DOUBLE_EQ(b.video()->duration, 6.0);
    EXPECT_DOUBLE_EQ(b.audio()->duration, a.audio()->duration);
    EXPECT_EQ(must(media::decode_audio(joined, 0, 10)), must(media::decode_audio(single, 0, 10)));
}

TEST_F(SegmentedJobTest, CancelingTheParentCancelsItsSegments) {
    auto parent = enqueue(long_spec(6, "asset:" + music_.id));
    JobReport parent_report;
    {
        auto thread = run_parent(parent_report, no_shutdown_);
        ASSERT_EQ(wait_for_segments(parent).size(), 6u);
        must(queue_->cancel(tenant_.id, parent.id));
    }
    EXPECT_EQ(parent_report.outcome, JobOutcome::canceled) << parent_report.error;
    EXPECT_EQ(stored(parent).status, JobStatus::canceled);
    for (const auto& segment : segments_of(parent))
        EXPECT_TRUE(segment.status == JobStatus::canceled || segment.status == JobStatus::done);
    EXPECT_FALSE(must(queue_->lease("late-worker")));
}

TEST_F(SegmentedJobTest, AParentHandedBackFindsItsSegmentsAgain) {
    auto parent = enqueue(long_spec(6, "asset:" + music_.id));
    std::atomic<bool> shutdown{false};
    JobReport first;
    std::vector<std::string> ids;
    {
        auto thread = run_parent(first, shutdown);
        auto segments = wait_for_segments(parent);
        for (const auto& segment : segments) ids.push_back(segment.id);
        shutdown = true;
    }
    EXPECT_EQ(first.outcome, JobOutcome::handed_back) << first.error;
    EXPECT_EQ(stored(parent).status, JobStatus::queued);

    JobReport second;
    { auto thread = run_parent(second, no_shutdown_); }
    EXPECT_EQ(second.outcome, JobOutcome::done) << second.error;
    std::vector<std::string> again;
    for (const auto& segment : segments_of(parent)) {
        again.push_back(segment.id);
        EXPECT_EQ(segment.status, JobStatus::done);
    }
    EXPECT_EQ(again, ids);
}

TEST_F(SegmentedJobTest, CancelingAQueuedParentCancelsItsSegments) {
    auto parent = enqueue(long_spec(6, "asset:" + music_.id));
    std::atomic<bool> shutdown{false};
    JobReport first;
    {
        auto thread = run_parent(first, shutdown);
        wait_for_segments(parent);
        shutdown = true;
    }
    ASSERT_EQ(stored(parent).status, JobStatus::queued);
    EXPECT_EQ(must(queue_->cancel(tenant_.id, parent.id)).status, JobStatus::canceled);
    auto segments = segments_of(parent);
    EXPECT_EQ(segments.size(), 6u);
    for (const auto& segment : segments)
        EXPECT_TRUE(segment.status == JobStatus::canceled || segment.status == JobStatus::done);
    EXPECT_FALSE(must(queue_->lease("late-worker")));
}

TEST_F(SegmentedJobTest, ShortJobsAndOtherFormatsRenderInOnePiece) {
    auto short_one = enqueue(long_spec(1.5, "asset:" + music_.id));
    EXPECT_EQ(run_next().outcome, JobOutcome::done);
    EXPECT_TRUE(segments_of(short_one).empty());
    options_.segment_threshold = 0;
    auto unsplit = enqueue(long_spec(3, "asset:" + music_.id));
    EXPECT_EQ(run_next().outcome, JobOutcome::done);
    EXPECT_TRUE(segments_of(unsplit).empty());
}

}  // namespace
}  // namespace vidgen::worker::testing
