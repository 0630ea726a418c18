#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "queue/job_json.hpp"

namespace vidgen::queue {
namespace {

namespace json = boost::json;

store::Job finished_job() {
    store::Job job;
    job.id = "job1";
    job.tenant_id = "t1";
    job.template_id = "tpl";
    job.template_version = 3;
    job.batch_id = "b1";
    job.status = store::JobStatus::done;
    job.progress = 1;
    job.priority = 2;
    job.attempts = 1;
    job.created = 1'700'000'000'000;
    job.started = 1'700'000'000'250;
    job.finished = 1'700'000'001'750;
    return job;
}

TEST(JobJson, ShowsEveryFieldOfAFinishedJob) {
    store::Output output{
        .job_id = "job1", .content_key = "abc.mp4", .size = 1234, .duration = 2.5, .format = "mp4"};
    auto view = json::parse(job_json(finished_job(), {output}, "/api/v1/media/")).as_object();

    EXPECT_EQ(view.at("id").as_string(), "job1");
    EXPECT_EQ(view.at("status").as_string(), "done");
    EXPECT_EQ(view.at("progress").to_number<double>(), 1.0);
    EXPECT_EQ(view.at("template").as_string(), "tpl");
    EXPECT_EQ(view.at("template_version").to_number<int>(), 3);
    EXPECT_EQ(view.at("batch").as_string(), "b1");
    EXPECT_EQ(view.at("priority").to_number<int>(), 2);
    EXPECT_EQ(view.at("attempts").to_number<int>(), 1);
    EXPECT_EQ(view.at("created").as_string(), "2023-11-14T22:13:20.000Z");
    EXPECT_EQ(view.at("started").as_string(), "2023-11-14T22:13:20.250Z");
    EXPECT_EQ(view.at("finished").as_string(), "2023-11-14T22:13:21.750Z");
    EXPECT_EQ(view.at("timings").at("queued_ms").to_number<int>(), 250);
    EXPECT_EQ(view.at("timings").at("render_ms").to_number<int>(), 1500);
    EXPECT_FALSE(view.contains("error"));
    const auto& first = view.at("outputs").as_array().at(0).as_object();
    EXPECT_EQ(first.at("url").as_string(), "/api/v1/media/abc.mp4");
    EXPECT_EQ(first.at("key").as_string(), "abc.mp4");
    EXPECT_EQ(first.at("format").as_string(), "mp4");
    EXPECT_EQ(first.at("size").to_number<int>(), 1234);
    EXPECT_EQ(first.at("duration").to_number<double>(), 2.5);
}

TEST(JobJson, LeavesOutWhatAQueuedInlineJobDoesNotHave) {
    store::Job job;
    job.id = "job2";
    job.created = 1'700'000'000'000;
    job.error = "the last attempt failed";
    auto view = json::parse(job_json(job, {}, "/media/")).as_object();
    EXPECT_EQ(view.at("status").as_string(), "queued");
    EXPECT_EQ(view.at("error").as_string(), "the last attempt failed");
    for (const char* absent : {"template", "template_version", "batch", "started", "finished", "timings"})
        EXPECT_FALSE(view.contains(absent)) << absent;
    EXPECT_TRUE(view.at("outputs").as_array().empty());
}

}  // namespace
}  // namespace vidgen::queue
