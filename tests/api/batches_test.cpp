// POST /api/v1/batches (JSON rows and CSV uploads), GET /api/v1/batches/{id}.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api/batches.hpp"
#include "api_fixture.hpp"

namespace vidgen::api::testing {
namespace {

constexpr const char* kColourSpec =
    R"({"output":{"width":64,"height":64,"fps":10},"timeline":{"tracks":[{"clips":[)"
    R"({"type":"color","color":"{{colour}}","start":0,"length":1}]}]}})";

class BatchesTest : public ApiTest {
  protected:
    Reply post_csv(const std::string& query, std::string csv, std::string key = kKeyA) {
        return send({.method = http::Method::post,
                     .target = "/api/v1/batches" + query,
                     .body = std::move(csv),
                     .headers = {{"Content-Type", "text/csv"}},
                     .key = std::move(key)});
    }
    std::int64_t jobs_of(const std::string& tenant_id) { return must(store_->count_jobs(tenant_id)).total(); }
};

TEST_F(BatchesTest, JsonRowsBecomeOneQueuedJobEach) {
    std::string tmpl = create_template(kColourSpec);
    auto reply = post("/api/v1/batches", R"({"template":")" + tmpl +
                                             R"(","rows":[{"colour":"#ff0000"},{"colour":"#00ff00"},)"
                                             R"({"colour":"#0000ff"}],"priority":7})");
    ASSERT_EQ(reply.status, 202) << reply.body;
    std::string id(reply.json().at("id").as_string());
    EXPECT_EQ(reply.headers.get("Location").value_or(""), "/api/v1/batches/" + id);
    auto batch = get("/api/v1/batches/" + id);
    ASSERT_EQ(batch.status, 200) << batch.body;
    EXPECT_EQ(batch.json().at("counts").at("queued").as_int64(), 3);
    EXPECT_EQ(batch.json().at("counts").at("total").as_int64(), 3);
    auto page = must(store_->list_jobs({.tenant_id = tenant_a_.id}));
    ASSERT_EQ(page.jobs.size(), 3u);
    for (const auto& job : page.jobs) {
        EXPECT_EQ(job.batch_id, id);
        EXPECT_EQ(job.priority, 7);
        EXPECT_EQ(job.template_id, tmpl);
    }
}

TEST_F(BatchesTest, CsvHeaderNamesTheMergeFields) {
    std::string tmpl = create_template(kColourSpec);
    auto reply = post_csv("?template=" + tmpl, "colour,label\n#ff0000,\"red, bright\"\r\n#00ff00,green\n");
    ASSERT_EQ(reply.status, 202) << reply.body;
    auto page = must(store_->list_jobs({.tenant_id = tenant_a_.id}));
    std::vector<std::string> data;
    for (const auto& job : page.jobs) data.push_back(job.data_json);
    EXPECT_THAT(data, ::testing::UnorderedElementsAre(R"({"colour":"#ff0000","label":"red, bright"})",
                                                      R"({"colour":"#00ff00","label":"green"})"));
}

TEST_F(BatchesTest, EveryRowIsValidatedBeforeAnythingIsQueued) {
    std::string tmpl = create_template(kColourSpec);
    auto reply =
        post("/api/v1/batches",
             R"({"template":")" + tmpl + R"(","rows":[{"colour":"#ff0000"},{"other":1},{"colour":"nope"}]})");
    ASSERT_EQ(reply.status, 422) << reply.body;
    auto fields = reply.error_fields();
    EXPECT_THAT(fields,
                ::testing::ElementsAre(::testing::StartsWith("/rows/1/"), ::testing::StartsWith("/rows/2/")));
    EXPECT_EQ(jobs_of(tenant_a_.id), 0);
}

TEST_F(BatchesTest, MalformedRequestsAreRefused) {
    std::string tmpl = create_template(kColourSpec);
    EXPECT_EQ(post("/api/v1/batches", R"({"template":")" + tmpl + R"(","rows":[]})").status, 422);
    EXPECT_EQ(post("/api/v1/batches", R"({"rows":[{"colour":"#fff"}]})").status, 422);
    EXPECT_EQ(post("/api/v1/batches", R"({"template":"nope","rows":[{"colour":"#fff"}]})").status, 404);
    EXPECT_EQ(post_csv("?template=" + tmpl, "colour\n\"unterminated\n").status, 400);
    EXPECT_EQ(post_csv("?template=" + tmpl, "colour\n").status, 400);
    EXPECT_EQ(send({.method = http::Method::post,
                    .target = "/api/v1/batches",
                    .body = "x",
                    .headers = {{"Content-Type", "application/xml"}}})
                  .status,
              415);
    EXPECT_EQ(post("/api/v1/batches",
                   R"({"template":")" + tmpl + R"(","rows":[{"colour":"#fff"}],"webhook":"ftp://x"})")
                  .status,
              422);
    EXPECT_EQ(jobs_of(tenant_a_.id), 0);
}

TEST_F(BatchesTest, AnotherTenantsBatchAndTemplateAre404) {
    std::string tmpl = create_template(kColourSpec);
    auto reply = post("/api/v1/batches", R"({"template":")" + tmpl + R"(","rows":[{"colour":"#fff"}]})");
    ASSERT_EQ(reply.status, 202) << reply.body;
    std::string id(reply.json().at("id").as_string());
    EXPECT_EQ(get("/api/v1/batches/" + id, kKeyB).status, 404);
    EXPECT_EQ(
        post("/api/v1/batches", R"({"template":")" + tmpl + R"(","rows":[{"colour":"#fff"}]})", kKeyB).status,
        404);
    EXPECT_EQ(post_csv("?template=" + tmpl, "colour\n#fff\n", kKeyB).status, 404);
    EXPECT_EQ(jobs_of(tenant_b_.id), 0);
}

TEST_F(BatchesTest, EveryJobOfABatchIsAnnouncedAsQueued) {
    std::string tmpl = create_template(kColourSpec);
    auto stream = open_events("/api/v1/events");
    ASSERT_EQ(stream->wait_for(1).size(), 1u);
    auto reply = post_csv("?template=" + tmpl, "colour\n#ff0000\n#00ff00\n");
    ASSERT_EQ(reply.status, 202) << reply.body;
    auto events = stream->wait_for(3);
    ASSERT_EQ(events.size(), 3u);
    for (std::size_t i = 1; i < events.size(); ++i) {
        EXPECT_EQ(events[i].event, "queued");
        EXPECT_EQ(boost::json::parse(events[i].data).at("batch").as_string(),
                  reply.json().at("id").as_string());
    }
}

TEST_F(BatchesTest, MoreRowsThanABatchTakesIs413) {
    std::string tmpl = create_template(kColourSpec);
    std::string csv = "colour\n";
    for (std::size_t i = 0; i <= kMaxBatchRows; ++i) csv += "#fff\n";
    auto reply = post_csv("?template=" + tmpl, csv);
    EXPECT_EQ(reply.status, 413) << reply.body;
    EXPECT_EQ(jobs_of(tenant_a_.id), 0);
}

}  // namespace
}  // namespace vidgen::api::testing
