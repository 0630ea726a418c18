// POST /api/v1/video/create, GET /api/v1/jobs, GET /api/v1/jobs/{id}, POST /api/v1/jobs/{id}/cancel.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>

#include "api_fixture.hpp"

namespace vidgen::api::testing {
namespace {

namespace json = boost::json;

std::string spec_body(const std::string& extra = {}) {
    return R"({"spec":)" + tiny_spec_json() + extra + "}";
}

std::string id_of(const Reply& reply) {
    return std::string(reply.json().at("id").as_string());
}

// gunzip of a whole gzip body (zlib).
std::string gunzip(const std::string& compressed) {
    z_stream stream{};
    EXPECT_EQ(inflateInit2(&stream, 16 + MAX_WBITS), Z_OK);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    stream.avail_in = static_cast<uInt>(compressed.size());
    std::string out;
    char buffer[16384];
    int status = Z_OK;
    while (status == Z_OK) {
        stream.next_out = reinterpret_cast<Bytef*>(buffer);
        stream.avail_out = sizeof buffer;
        status = inflate(&stream, Z_NO_FLUSH);
        out.append(buffer, sizeof buffer - stream.avail_out);
    }
    EXPECT_EQ(status, Z_STREAM_END);
    inflateEnd(&stream);
    return out;
}

class JobsTest : public ApiTest {};

TEST_F(JobsTest, CreateAnswers202WithTheQueuedJobAndItsLocation) {
    auto reply = create_job(spec_body(R"(,"priority":5)"));
    ASSERT_EQ(reply.status, 202) << reply.body;
    auto job = reply.json().as_object();
    EXPECT_EQ(job.at("status").as_string(), "queued");
    EXPECT_EQ(job.at("priority").as_int64(), 5);
    EXPECT_EQ(reply.headers.get("Location").value_or(""), "/api/v1/jobs/" + id_of(reply));
    auto stored = must(store_->get_job(tenant_a_.id, id_of(reply)));
    EXPECT_EQ(stored.status, store::JobStatus::queued);
}

TEST_F(JobsTest, CreateFromATemplateRecordsItsVersion) {
    std::string tmpl =
        create_template(R"({"output":{"width":64,"height":64,"fps":10},"timeline":{"tracks":[{"clips":[)"
                        R"({"type":"color","color":"{{colour}}","start":0,"length":1}]}]}})");
    auto reply = create_job(R"({"template":")" + tmpl + R"(","data":{"colour":"#ff0000"}})");
    ASSERT_EQ(reply.status, 202) << reply.body;
    auto job = reply.json().as_object();
    EXPECT_EQ(job.at("template").as_string(), tmpl);
    EXPECT_EQ(job.at("template_version").as_int64(), 1);
    EXPECT_EQ(must(store_->get_job(tenant_a_.id, id_of(reply))).data_json, R"({"colour":"#ff0000"})");
}

TEST_F(JobsTest, InvalidSpecIs422NamingEveryProblemUnderSpec) {
    auto reply = create_job(R"({"spec":{"output":{"width":-5},"timeline":{"tracks":[]}},"priority":500})");
    ASSERT_EQ(reply.status, 422) << reply.body;
    EXPECT_EQ(reply.json().at("error").at("code").as_string(), "validation_failed");
    auto fields = reply.error_fields();
    EXPECT_THAT(fields, ::testing::Contains("/spec/output/width"));
    EXPECT_THAT(fields, ::testing::Contains("/spec/timeline/tracks"));
    EXPECT_THAT(fields, ::testing::Contains("/priority"));
    EXPECT_EQ(must(store_->count_jobs(tenant_a_.id)).total(), 0);
}

TEST_F(JobsTest, MissingMergeDataIs422AtTheField) {
    std::string tmpl =
        create_template(R"({"output":{"width":64,"height":64,"fps":10},"timeline":{"tracks":[{"clips":[)"
                        R"({"type":"color","color":"{{colour}}","start":0,"length":1}]}]}})");
    auto reply = create_job(R"({"template":")" + tmpl + R"("})");
    ASSERT_EQ(reply.status, 422) << reply.body;
    EXPECT_EQ(reply.json().at("error").at("field").as_string(), "/spec/timeline/tracks/0/clips/0/color");
}

TEST_F(JobsTest, MalformedBodiesAre400) {
    EXPECT_EQ(create_job("").status, 400);
    EXPECT_EQ(create_job("{not json").status, 400);
    EXPECT_EQ(create_job("[1,2]").status, 400);
}

TEST_F(JobsTest, SpecAndTemplateTogetherOrNeitherAre422) {
    EXPECT_EQ(create_job("{}").status, 422);
    EXPECT_EQ(create_job(R"({"spec":{},"template":"x"})").status, 422);
    EXPECT_EQ(create_job(R"({"spec":"text"})").status, 422);
}

TEST_F(JobsTest, WebhookMustBeAnHttpsUrl) {
    for (const char* bad : {R"("ftp://example.com/x")", R"("not a url")", R"("http://example.com/hook")",
                            "42", R"("https://user:pw@example.com/")"}) {
        auto reply = create_job(spec_body(R"(,"webhook":)" + std::string(bad)));
        ASSERT_EQ(reply.status, 422) << bad;
        EXPECT_EQ(reply.json().at("error").at("field").as_string(), "/webhook") << bad;
    }
    auto ok = create_job(spec_body(R"(,"webhook":"https://example.com/hook")"));
    ASSERT_EQ(ok.status, 202) << ok.body;
    EXPECT_EQ(must(store_->get_job(tenant_a_.id, id_of(ok))).webhook_url, "https://example.com/hook");
}

TEST_F(JobsTest, HttpWebhooksWhenTheConfigurationAllowsThem) {
    context_.allow_http_webhooks = true;
    EXPECT_EQ(create_job(spec_body(R"(,"webhook":"http://127.0.0.1:9/hook")")).status, 202);
}

TEST_F(JobsTest, PriorityMustBeAnIntegerWithinRange) {
    for (const char* bad : {"101", "-101", "1.5", R"("high")"}) {
        auto reply = create_job(spec_body(R"(,"priority":)" + std::string(bad)));
        ASSERT_EQ(reply.status, 422) << bad;
        EXPECT_EQ(reply.json().at("error").at("field").as_string(), "/priority");
    }
    EXPECT_EQ(create_job(spec_body(R"(,"priority":-100)")).status, 202);
}

TEST_F(JobsTest, IdempotencyKeyReturnsTheSameJobWith200) {
    Call call{.method = http::Method::post,
              .target = "/api/v1/video/create",
              .body = spec_body(),
              .headers = {{"Content-Type", "application/json"}, {"Idempotency-Key", "order-17"}}};
    auto first = send(call);
    auto second = send(call);
    ASSERT_EQ(first.status, 202) << first.body;
    ASSERT_EQ(second.status, 200) << second.body;
    EXPECT_EQ(first.body, second.body);
    EXPECT_EQ(must(store_->count_jobs(tenant_a_.id)).total(), 1);
    call.key = kKeyB;
    EXPECT_EQ(send(call).status, 202);  // keys are per tenant
}

TEST_F(JobsTest, CreatePublishesAQueuedEvent) {
    std::vector<queue::JobEvent> seen;
    auto subscription =
        events_->subscribe(tenant_a_.id, "", [&](const queue::JobEvent& e) { seen.push_back(e); });
    auto reply = create_job(spec_body());
    subscription.reset();  // waits out a callback in flight on the server's thread
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].type, "queued");
    EXPECT_EQ(seen[0].job_id, id_of(reply));
    EXPECT_EQ(json::parse(seen[0].data_json).at("status").as_string(), "queued");
}

TEST_F(JobsTest, GetShowsTheJobAndUnknownIdsAre404) {
    auto id = id_of(create_job(spec_body()));
    auto reply = get("/api/v1/jobs/" + id);
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(reply.json().at("id").as_string(), id);
    EXPECT_EQ(get("/api/v1/jobs/nope").status, 404);
}

TEST_F(JobsTest, AnotherTenantsJobIs404Everywhere) {
    auto id = id_of(create_job(spec_body()));
    EXPECT_EQ(get("/api/v1/jobs/" + id, kKeyB).status, 404);
    EXPECT_EQ(post("/api/v1/jobs/" + id + "/cancel", "", kKeyB).status, 404);
    EXPECT_EQ(open_events("/api/v1/jobs/" + id + "/events", kKeyB)->status(), 404);
    EXPECT_TRUE(get("/api/v1/jobs", kKeyB).json().at("jobs").as_array().empty());
    EXPECT_EQ(must(store_->get_job(tenant_a_.id, id)).status, store::JobStatus::queued);
}

TEST_F(JobsTest, WithoutAKeyIs401) {
    EXPECT_EQ(get("/api/v1/jobs", "").status, 401);
    EXPECT_EQ(create_job(spec_body(), "wrong-key").status, 401);
}

TEST_F(JobsTest, ListIsNewestFirstWithCursorPages) {
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) ids.push_back(id_of(create_job(spec_body())));
    std::vector<std::string> listed;
    std::string target = "/api/v1/jobs?limit=2";
    for (int page = 0; page < 5; ++page) {
        auto reply = get(target);
        ASSERT_EQ(reply.status, 200) << reply.body;
        auto body = reply.json().as_object();
        for (const auto& job : body.at("jobs").as_array()) listed.emplace_back(job.at("id").as_string());
        if (body.at("next_cursor").is_null()) break;
        target = "/api/v1/jobs?limit=2&cursor=" + std::string(body.at("next_cursor").as_string());
    }
    std::reverse(ids.begin(), ids.end());
    EXPECT_EQ(listed, ids);
}

TEST_F(JobsTest, ListFiltersByStatusTemplateAndTime) {
    auto spec_job = id_of(create_job(spec_body()));
    std::string tmpl = create_template(tiny_spec_json());
    auto template_job = id_of(create_job(R"({"template":")" + tmpl + R"("})"));
    ASSERT_EQ(post("/api/v1/jobs/" + spec_job + "/cancel", "").status, 200);
    auto ids_of = [&](const std::string& target) {
        auto reply = get(target);
        EXPECT_EQ(reply.status, 200) << target << ": " << reply.body;
        std::vector<std::string> ids;
        auto body = reply.json();
        for (const auto& job : body.at("jobs").as_array()) ids.emplace_back(job.at("id").as_string());
        return ids;
    };
    EXPECT_EQ(ids_of("/api/v1/jobs?status=canceled"), std::vector{spec_job});
    EXPECT_EQ(ids_of("/api/v1/jobs?template=" + tmpl), std::vector{template_job});
    EXPECT_EQ(ids_of("/api/v1/jobs?created_before=2000-01-01T00:00:00Z").size(), 0u);
    EXPECT_EQ(ids_of("/api/v1/jobs?created_after=2000-01-01").size(), 2u);
    EXPECT_EQ(ids_of("/api/v1/jobs?created_after=946684800000").size(), 2u);
    EXPECT_EQ(ids_of("/api/v1/jobs?created_before=2100-01-01T00:00:00.5%2B01:00").size(), 2u);
    EXPECT_EQ(ids_of("/api/v1/jobs?created_after=2100-01-01T00:00:00-05:00").size(), 0u);
}

TEST_F(JobsTest, BadListParametersAre400) {
    for (const char* target : {"/api/v1/jobs?limit=0", "/api/v1/jobs?limit=101", "/api/v1/jobs?limit=x",
                               "/api/v1/jobs?status=sleeping", "/api/v1/jobs?created_after=yesterday"}) {
        EXPECT_EQ(get(target).status, 400) << target;
    }
}

TEST_F(JobsTest, CancelMovesAQueuedJobToCanceledAndPublishesIt) {
    auto id = id_of(create_job(spec_body()));
    std::vector<std::string> types;
    auto subscription =
        events_->subscribe(tenant_a_.id, id, [&](const queue::JobEvent& e) { types.push_back(e.type); });
    auto reply = post("/api/v1/jobs/" + id + "/cancel", "");
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(reply.json().at("status").as_string(), "canceled");
    EXPECT_EQ(post("/api/v1/jobs/" + id + "/cancel", "").json().at("status").as_string(), "canceled");
    subscription.reset();  // waits out a callback in flight on the server's thread
    EXPECT_EQ(types, std::vector<std::string>{"canceled"});  // the second cancel changed nothing
}

TEST_F(JobsTest, LocalFilesAndFontFilesAre422) {
    auto reply = create_job(
        R"({"spec":{"output":{"width":64,"height":64,"fps":10},"timeline":{"tracks":[{"clips":[)"
        R"({"type":"image","src":"/etc/passwd","start":0,"length":1},)"
        R"({"type":"text","text":"hi","style":{"font_file":"../x.ttf"},"start":0,"length":1}]}]}}})");
    ASSERT_EQ(reply.status, 422) << reply.body;
    EXPECT_EQ(reply.error_fields(),
              (std::vector<std::string>{"/spec/timeline/tracks/0/clips/0/src",
                                        "/spec/timeline/tracks/0/clips/1/style/font_file"}));
}

TEST_F(JobsTest, CreateFromAnOlderTemplateVersion) {
    std::string tmpl = create_template(tiny_spec_json());
    ASSERT_EQ(put("/api/v1/templates/" + tmpl, R"({"spec":)" + tiny_spec_json() + "}").status, 200);
    auto reply = create_job(R"({"template":")" + tmpl + R"(","version":1})");
    ASSERT_EQ(reply.status, 202) << reply.body;
    EXPECT_EQ(reply.json().at("template_version").as_int64(), 1);
    EXPECT_EQ(create_job(R"({"template":")" + tmpl + R"(","version":3})").status, 404);
    EXPECT_EQ(create_job(R"({"template":")" + tmpl + R"(","version":0})").status, 422);
}

TEST_F(JobsTest, CachedReadsAreDroppedWhenTheJobChanges) {
    auto id = id_of(create_job(spec_body()));
    std::string target = "/api/v1/jobs/" + id;
    EXPECT_EQ(get(target).headers.get("X-Cache").value_or(""), "MISS");
    EXPECT_EQ(get("/api/v1/jobs").headers.get("X-Cache").value_or(""), "MISS");
    auto hit = get(target);
    EXPECT_EQ(hit.headers.get("X-Cache").value_or(""), "HIT");
    EXPECT_EQ(hit.json().at("status").as_string(), "queued");
    EXPECT_EQ(get("/api/v1/jobs").headers.get("X-Cache").value_or(""), "HIT");
    ASSERT_EQ(post(target + "/cancel", "").status, 200);
    auto fresh = get(target);
    EXPECT_EQ(fresh.headers.get("X-Cache").value_or(""), "MISS");
    EXPECT_EQ(fresh.json().at("status").as_string(), "canceled");
    auto list = get("/api/v1/jobs");
    EXPECT_EQ(list.headers.get("X-Cache").value_or(""), "MISS");
    EXPECT_EQ(list.json().at("jobs").at(0).at("status").as_string(), "canceled");
    EXPECT_EQ(get(target, kKeyB).status, 404);  // another tenant never sees the cached copy
}

TEST_F(JobsTest, ADoneJobShowsItsOutputsWithUrlsThatServeThem) {
    auto id = id_of(create_job(spec_body()));
    auto leased = must(queue_->lease("worker-1"));
    ASSERT_TRUE(leased.has_value());
    auto file = scratch_->path() / "out.mp4";
    std::FILE* out = std::fopen(file.c_str(), "wb");
    ASSERT_NE(out, nullptr);
    std::fputs("not really an mp4", out);
    std::fclose(out);
    auto blob = must(blobs_->put_file(file, "video/mp4"));
    must(queue_->complete(
        store::lease_of(*leased),
        {{.job_id = id, .content_key = blob.key, .size = 17, .duration = 1, .format = "mp4"}}));
    auto reply = get("/api/v1/jobs/" + id);
    ASSERT_EQ(reply.status, 200) << reply.body;
    auto job = reply.json();
    EXPECT_EQ(job.at("status").as_string(), "done");
    ASSERT_EQ(job.at("outputs").as_array().size(), 1u);
    const auto& output = job.at("outputs").at(0);
    EXPECT_EQ(output.at("size").as_int64(), 17);
    EXPECT_EQ(output.at("format").as_string(), "mp4");
    std::string url(output.at("url").as_string());
    ASSERT_TRUE(url.starts_with(context_.public_url)) << url;
    auto media = get(url.substr(context_.public_url.size()), "");
    EXPECT_EQ(media.status, 200);
    EXPECT_EQ(media.body, "not really an mp4");
}

TEST_F(JobsTest, LargeListsAreCompressedForClientsThatAskAndDecodeToTheSameJson) {
    for (int i = 0; i < 10; ++i) ASSERT_EQ(create_job(spec_body()).status, 202);
    auto plain = get("/api/v1/jobs");
    ASSERT_GT(plain.body.size(), 1024u);
    EXPECT_FALSE(plain.headers.get("Content-Encoding"));
    auto gzipped = send({.target = "/api/v1/jobs", .headers = {{"Accept-Encoding", "gzip"}}});
    ASSERT_EQ(gzipped.status, 200);
    EXPECT_EQ(gzipped.headers.get("Content-Encoding").value_or(""), "gzip");
    EXPECT_EQ(gzipped.headers.get("Vary").value_or(""), "Accept-Encoding");
    EXPECT_LT(gzipped.body.size(), plain.body.size());
    EXPECT_EQ(gunzip(gzipped.body), plain.body);
}

}  // namespace
}  // namespace vidgen::api::testing
