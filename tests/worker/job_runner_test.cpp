#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <thread>

#include "media/probe.hpp"
#include "worker_fixture.hpp"

namespace vidgen::worker::testing {
namespace {

using store::JobStatus;

TEST_F(WorkerTest, RendersAJobToAPlayableMp4Blob) {
    auto job = enqueue(colour_spec(0.4));
    auto report = run_next();

    EXPECT_EQ(report.outcome, JobOutcome::done) << report.error;
    EXPECT_EQ(stored(job).status, JobStatus::done);
    auto outputs = outputs_of(job);
    ASSERT_EQ(outputs.size(), 1u);
    EXPECT_EQ(outputs[0].format, "mp4");
    EXPECT_NEAR(outputs[0].duration, 0.4, 1e-9);
    auto blob = must(blobs_->open(outputs[0].content_key));
    EXPECT_EQ(std::int64_t(blob.info.size), outputs[0].size);
    auto probed = must(media::probe(blob.path));
    ASSERT_NE(probed.video(), nullptr);
    EXPECT_EQ(probed.video()->width, 64);
    EXPECT_EQ(probed.video()->height, 64);
    EXPECT_NEAR(probed.duration, 0.4, 0.05);
}

TEST_F(WorkerTest, PublishesRenderingThenProgressInOrderThenDone) {
    auto job = enqueue(moving_spec(4));
    ASSERT_EQ(run_next().outcome, JobOutcome::done);

    auto events = events_.events();
    ASSERT_GE(events.size(), 3u);
    EXPECT_EQ(events.front().type, "rendering");
    EXPECT_EQ(events.back().type, "done");
    double last = 0;
    for (std::size_t i = 1; i + 1 < events.size(); ++i) {
        EXPECT_EQ(events[i].type, "progress");
        EXPECT_GT(events[i].progress, last);
        last = events[i].progress;
    }
    EXPECT_EQ(events[1].type, "progress");
    auto done = boost::json::parse(events.back().data_json).as_object();
    EXPECT_EQ(done.at("id").as_string(), job.id);
    EXPECT_EQ(done.at("status").as_string(), "done");
    auto url = std::string(done.at("outputs").as_array().at(0).at("url").as_string());
    EXPECT_EQ(url, "/api/v1/media/" + outputs_of(job)[0].content_key);
}

TEST_F(WorkerTest, CancelStopsARunningRender) {
    auto job = enqueue(moving_spec(300));
    JobReport report;
    std::jthread worker([&] { report = run_next(); });
    ASSERT_TRUE(events_.wait_for([](const auto& e) { return e.type == "progress"; }));
    must(queue_->cancel(tenant_.id, job.id));
    worker.join();

    EXPECT_EQ(report.outcome, JobOutcome::canceled);
    EXPECT_EQ(stored(job).status, JobStatus::canceled);
    EXPECT_TRUE(outputs_of(job).empty());
    EXPECT_TRUE(must(blobs_->list()).empty()) << "the render ran to its end";
    EXPECT_EQ(events_.events().back().type, "canceled");
}

TEST_F(WorkerTest, InvalidSpecFailsWithoutRetry) {
    auto job = enqueue(R"({"output":{"width":-64},"timeline":{"tracks":[]}})");
    auto report = run_next();

    EXPECT_EQ(report.outcome, JobOutcome::failed);
    auto failed = stored(job);
    EXPECT_EQ(failed.status, JobStatus::failed);
    EXPECT_EQ(failed.attempts, 1);
    EXPECT_NE(failed.error.find("/output/width"), std::string::npos) << failed.error;
    EXPECT_EQ(events_.events().back().type, "failed");
}

TEST_F(WorkerTest, MergesTheJobDataIntoTheSpec) {
    auto job = enqueue(colour_spec(0.4, "{{colour}}"), R"({"colour":"#00ff00"})");
    EXPECT_EQ(run_next().outcome, JobOutcome::done);
    EXPECT_EQ(outputs_of(job).size(), 1u);
}

TEST_F(WorkerTest, RefusesLocalPathSourcesNamingTheField) {
    for (const char* src : {"../media/logo.png", "/etc/passwd"}) {
        auto job = enqueue(image_spec(src));
        auto report = run_next();
        EXPECT_EQ(report.outcome, JobOutcome::failed) << src;
        auto failed = stored(job);
        EXPECT_EQ(failed.attempts, 1) << src;
        EXPECT_NE(failed.error.find("/timeline/tracks/0/clips/0/src"), std::string::npos) << failed.error;
        EXPECT_NE(failed.error.find("local files are not allowed"), std::string::npos) << failed.error;
    }
}

TEST_F(WorkerTest, RefusesFontFiles) {
    auto job = enqueue(
        R"({"output":{"width":64,"height":64},"timeline":{"tracks":[{"clips":[{"type":"text","text":"hi",)"
        R"("start":0,"length":0.4,"style":{"font_file":"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"}}]}]}})");
    EXPECT_EQ(run_next().outcome, JobOutcome::failed);
    EXPECT_NE(stored(job).error.find("/timeline/tracks/0/clips/0/style/font_file"), std::string::npos)
        << stored(job).error;
}

TEST_F(WorkerTest, RefusesHttpsSourcesOnPrivateAddresses) {
    auto job = enqueue(image_spec("https://127.0.0.1/logo.png"));
    EXPECT_EQ(run_next().outcome, JobOutcome::failed);
    auto failed = stored(job);
    EXPECT_EQ(failed.attempts, 1);
    EXPECT_NE(failed.error.find("/timeline/tracks/0/clips/0/src"), std::string::npos) << failed.error;
    EXPECT_NE(failed.error.find("not public"), std::string::npos) << failed.error;
}

TEST_F(WorkerTest, RendersAnAssetSource) {
    auto logo = must(
        blobs_->put_file(std::filesystem::path(VIDGEN_SOURCE_DIR) / "examples/media/logo.png", "image/png"));
    auto asset = must(store_->create_asset({.tenant_id = tenant_.id,
                                            .content_key = logo.key,
                                            .size = std::int64_t(logo.size),
                                            .content_type = "image/png"}));
    auto job = enqueue(image_spec("asset:" + asset.id));

    auto report = run_next();
    EXPECT_EQ(report.outcome, JobOutcome::done) << report.error;
    EXPECT_EQ(outputs_of(job).size(), 1u);
}

TEST_F(WorkerTest, AnotherTenantsAssetIsNotFound) {
    auto other = must(store_->create_tenant({.name = "umbrella", .created = 1000}));
    auto logo = must(
        blobs_->put_file(std::filesystem::path(VIDGEN_SOURCE_DIR) / "examples/media/logo.png", "image/png"));
    auto asset = must(
        store_->create_asset({.tenant_id = other.id, .content_key = logo.key, .content_type = "image/png"}));
    auto job = enqueue(image_spec("asset:" + asset.id));

    EXPECT_EQ(run_next().outcome, JobOutcome::failed);
    EXPECT_NE(stored(job).error.find("no asset " + asset.id), std::string::npos) << stored(job).error;
}

TEST_F(WorkerTest, RenderCacheCompletesAnIdenticalJobWithoutRendering) {
    auto first = enqueue(colour_spec(0.4));
    auto rendered = run_next();
    ASSERT_EQ(rendered.outcome, JobOutcome::done);
    EXPECT_GT(rendered.frames, 0);

    auto second = enqueue(colour_spec(0.4));
    auto cached = run_next();
    EXPECT_EQ(cached.outcome, JobOutcome::cached);
    EXPECT_EQ(cached.frames, 0);
    EXPECT_EQ(stored(second).status, JobStatus::done);
    EXPECT_EQ(stored(second).render_key, stored(first).render_key);
    ASSERT_EQ(outputs_of(second).size(), 1u);
    EXPECT_EQ(outputs_of(second)[0].content_key, outputs_of(first)[0].content_key);
}

TEST_F(WorkerTest, RenderCacheMissesWhenTheDataDiffers) {
    enqueue(colour_spec(0.4, "{{c}}"), R"({"c":"#ff0000"})");
    ASSERT_EQ(run_next().outcome, JobOutcome::done);
    enqueue(colour_spec(0.4, "{{c}}"), R"({"c":"#0000ff"})");
    EXPECT_EQ(run_next().outcome, JobOutcome::done);
}

TEST_F(WorkerTest, RenderCacheRendersAgainWhenTheBlobIsGone) {
    auto first = enqueue(colour_spec(0.4));
    ASSERT_EQ(run_next().outcome, JobOutcome::done);
    must(blobs_->remove(outputs_of(first)[0].content_key));
    enqueue(colour_spec(0.4));
    EXPECT_EQ(run_next().outcome, JobOutcome::done);
}

}  // namespace
}  // namespace vidgen::worker::testing
