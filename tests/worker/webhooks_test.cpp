#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json/parse.hpp>

#include <cstring>
#include <ctime>
#include <thread>

#include "webhook_fixture.hpp"
#include "webhook_receiver.hpp"
#include "worker/webhooks.hpp"

namespace vidgen::worker::testing {
namespace {

constexpr const char* kSecret = "s3cret";

// The expected signature, computed here independently of the code under test.
std::string expected_signature(const std::string& timestamp, const std::string& body) {
    std::string message = timestamp + "." + body;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), kSecret, int(std::strlen(kSecret)),
         reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
    std::string hex = "sha256=";
    for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
    return hex;
}

class WebhookTest : public WebhookFixture {
  protected:
    WebhookOptions webhook_options(bool allow_private = true) {
        return {.secret = kSecret,
                .max_attempts = 4,
                .first_retry_seconds = 0.02,
                .allow_private_targets = allow_private};
    }
};

TEST_F(WebhookTest, PostsASignedJobDoneEvent) {
    WebhookReceiver receiver({200});
    WebhookDispatcher dispatcher(*store_, *bus_, webhook_options());
    auto job = enqueue_with_webhook(receiver.url());
    ASSERT_EQ(run_next().outcome, JobOutcome::done);

    auto requests = receiver.wait_for(1);
    ASSERT_EQ(requests.size(), 1u);
    auto& request = requests[0];
    EXPECT_EQ(request.request_line, "POST /hook HTTP/1.1");
    EXPECT_EQ(request.headers["content-type"], "application/json");
    std::string timestamp = request.headers["x-vidgen-timestamp"];
    EXPECT_NEAR(std::stod(timestamp), double(std::time(nullptr)), 60);
    EXPECT_EQ(request.headers["x-vidgen-signature"], expected_signature(timestamp, request.body));
    auto body = boost::json::parse(request.body).as_object();
    EXPECT_EQ(body.at("event").as_string(), "job.done");
    EXPECT_EQ(body.at("job").at("id").as_string(), job.id);
    EXPECT_EQ(body.at("job").at("status").as_string(), "done");
    EXPECT_EQ(body.at("job").at("outputs").as_array().size(), 1u);

    auto recorded = deliveries(job, 1);
    ASSERT_EQ(recorded.size(), 1u);
    EXPECT_EQ(recorded[0].status_code, 200);
    EXPECT_EQ(recorded[0].event, "job.done");
    EXPECT_EQ(recorded[0].url, receiver.url());
}

TEST_F(WebhookTest, RetriesUntilTheReceiverAnswers2xxRecordingEveryAttempt) {
    WebhookReceiver receiver({500, 500, 200});
    WebhookDispatcher dispatcher(*store_, *bus_, webhook_options());
    auto job = enqueue_with_webhook(receiver.url());
    ASSERT_EQ(run_next().outcome, JobOutcome::done);

    EXPECT_EQ(receiver.wait_for(3).size(), 3u);
    auto recorded = deliveries(job, 3);
    ASSERT_EQ(recorded.size(), 3u);
    std::ranges::sort(recorded, {}, &store::WebhookDelivery::attempt);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(recorded[i].attempt, i + 1);
    EXPECT_EQ(recorded[0].status_code, 500);
    EXPECT_EQ(recorded[1].status_code, 500);
    EXPECT_EQ(recorded[2].status_code, 200);
    EXPECT_EQ(recorded[0].error, "HTTP status 500");
}

TEST_F(WebhookTest, GivesUpAfterMaxAttempts) {
    WebhookReceiver receiver({503});
    WebhookDispatcher dispatcher(*store_, *bus_, webhook_options());
    auto job = enqueue_with_webhook(receiver.url());
    ASSERT_EQ(run_next().outcome, JobOutcome::done);
    auto recorded = deliveries(job, 4);
    EXPECT_EQ(recorded.size(), 4u);
}

TEST_F(WebhookTest, FailedJobsAreDeliveredToo) {
    WebhookReceiver receiver({200});
    WebhookDispatcher dispatcher(*store_, *bus_, webhook_options());
    store::Job job;
    job.tenant_id = tenant_.id;
    job.spec_json = R"({"timeline":{"tracks":"nope"}})";
    job.webhook_url = receiver.url();
    job = must(queue_->enqueue(std::move(job))).job;
    ASSERT_EQ(run_next().outcome, JobOutcome::failed);

    auto requests = receiver.wait_for(1);
    ASSERT_EQ(requests.size(), 1u);
    auto body = boost::json::parse(requests[0].body).as_object();
    EXPECT_EQ(body.at("event").as_string(), "job.failed");
    EXPECT_FALSE(body.at("job").at("error").as_string().empty());
}

TEST_F(WebhookTest, DeliversAnEventPublishedTwiceOnce) {
    WebhookReceiver receiver({200});
    WebhookDispatcher dispatcher(*store_, *bus_, webhook_options());
    auto first = enqueue_with_webhook(receiver.url());
    ASSERT_EQ(run_next().outcome, JobOutcome::done);
    ASSERT_EQ(receiver.wait_for(1).size(), 1u);

    bus_->publish({.tenant_id = tenant_.id, .job_id = first.id, .type = "done", .status = "done"});
    auto second = enqueue_with_webhook(receiver.url());
    ASSERT_EQ(run_next().outcome, JobOutcome::cached);
    auto requests = receiver.wait_for(2);
    ASSERT_EQ(requests.size(), 2u);
    auto body = boost::json::parse(requests[1].body).as_object();
    EXPECT_EQ(body.at("job").at("id").as_string(), second.id)
        << "the repeated event of the first job was delivered";
    EXPECT_EQ(must(store_->list_deliveries(tenant_.id, first.id)).size(), 1u);
}

TEST_F(WebhookTest, EventsFromAnotherNodeAreLeftToThatNode) {
    WebhookReceiver receiver({200});
    WebhookDispatcher dispatcher(*store_, *bus_, webhook_options());
    auto remote = enqueue_with_webhook(receiver.url());
    must(queue_->cancel(tenant_.id, remote.id));  // another node's job: never leased here
    bus_->publish(
        {.tenant_id = tenant_.id, .job_id = remote.id, .type = "done", .status = "done", .remote = true});
    auto local = enqueue_with_webhook(receiver.url());
    ASSERT_EQ(run_next().outcome, JobOutcome::done);
    auto requests = receiver.wait_for(1);
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_NE(requests[0].body.find(local.id), std::string::npos) << requests[0].body;
    EXPECT_TRUE(must(store_->list_deliveries(tenant_.id, remote.id)).empty());
}

TEST_F(WebhookTest, AWaitingRetryDoesNotHoldBackANewDelivery) {
    WebhookReceiver failing({500}), working({200});
    auto options = webhook_options();
    options.first_retry_seconds = 20;
    WebhookDispatcher dispatcher(*store_, *bus_, options);
    auto first = enqueue_with_webhook(failing.url());
    ASSERT_EQ(run_next().outcome, JobOutcome::done);
    ASSERT_EQ(deliveries(first, 1).size(), 1u);

    enqueue_with_webhook(working.url());
    ASSERT_EQ(run_next().outcome, JobOutcome::cached);
    EXPECT_EQ(working.wait_for(1).size(), 1u);
    EXPECT_EQ(must(store_->list_deliveries(tenant_.id, first.id)).size(), 1u)
        << "the new delivery waited for the retry";
}

TEST_F(WebhookTest, RefusesLoopbackTargetsUnlessAllowed) {
    WebhookReceiver receiver({200});
    WebhookDispatcher dispatcher(*store_, *bus_, webhook_options(false));
    auto job = enqueue_with_webhook(receiver.url());
    ASSERT_EQ(run_next().outcome, JobOutcome::done);

    auto recorded = deliveries(job, 1);
    ASSERT_EQ(recorded.size(), 1u);
    EXPECT_EQ(recorded[0].status_code, 0);
    EXPECT_NE(recorded[0].error.find("not public"), std::string::npos) << recorded[0].error;
    EXPECT_TRUE(receiver.wait_for(0).empty());
}

}  // namespace
}  // namespace vidgen::worker::testing
