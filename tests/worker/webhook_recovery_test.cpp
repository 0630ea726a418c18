// Webhook deliveries survive the dispatcher: a retry pending when one stops, or an event published while
// none listened, is delivered by the next dispatcher on the same store (its scan of owed deliveries);
// a delivery that succeeded or used every attempt is not made again; two nodes on one PostgreSQL database
// take over what a stopped node left, every copy with the same body.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <thread>

#include "support/postgres_server.hpp"
#include "webhook_fixture.hpp"
#include "webhook_receiver.hpp"
#include "worker/webhooks.hpp"

namespace vidgen::worker::testing {
namespace {

class WebhookRecoveryTest : public WebhookFixture {
  protected:
    // Scans every 50 ms and takes an owed delivery over as soon as its backoff ends.
    static WebhookOptions recovering_options() {
        return {.secret = "s3cret",
                .max_attempts = 2,
                .first_retry_seconds = 0.02,
                .allow_private_targets = true,
                .scan_seconds = 0.05,
                .takeover_seconds = 0};
    }
};

TEST_F(WebhookRecoveryTest, ARetryPendingWhenTheDispatcherStopsIsMadeByTheNextOne) {
    WebhookReceiver receiver({500, 200});
    auto job = enqueue_with_webhook(receiver.url());
    {
        auto options = recovering_options();
        options.first_retry_seconds = 3600;  // the retry is still pending when this dispatcher goes
        WebhookDispatcher stopping(*store_, *bus_, options);
        ASSERT_EQ(run_next().outcome, JobOutcome::done);
        ASSERT_EQ(deliveries(job, 1).size(), 1u);
    }
    WebhookDispatcher next(*store_, *bus_, recovering_options());

    auto requests = receiver.wait_for(2);
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[1].body, requests[0].body);
    EXPECT_FALSE(requests[1].headers["x-vidgen-signature"].empty());
    auto recorded = deliveries(job, 2);
    ASSERT_EQ(recorded.size(), 2u);
    EXPECT_EQ(recorded[0].status_code, 500);
    EXPECT_EQ(recorded[1].attempt, 2);
    EXPECT_EQ(recorded[1].status_code, 200);
}

TEST_F(WebhookRecoveryTest, AnEventPublishedWhileNoDispatcherListenedIsDeliveredByTheNextOne) {
    WebhookReceiver receiver({200});
    auto job = enqueue_with_webhook(receiver.url());
    ASSERT_EQ(run_next().outcome, JobOutcome::done);
    WebhookDispatcher dispatcher(*store_, *bus_, recovering_options());

    auto requests = receiver.wait_for(1);
    ASSERT_EQ(requests.size(), 1u);
    auto body = boost::json::parse(requests[0].body).as_object();
    EXPECT_EQ(body.at("event").as_string(), "job.done");
    EXPECT_EQ(body.at("job").at("id").as_string(), job.id);
    auto recorded = deliveries(job, 1);
    ASSERT_EQ(recorded.size(), 1u);
    EXPECT_EQ(recorded[0].attempt, 1);
    EXPECT_EQ(recorded[0].status_code, 200);
}

TEST_F(WebhookRecoveryTest, DeliveriesThatSucceededOrUsedEveryAttemptAreNotMadeAgain) {
    WebhookReceiver answering({200}), failing({500}), late({200});
    auto delivered = enqueue_with_webhook(answering.url());
    auto gave_up = enqueue_with_webhook(failing.url());
    {
        WebhookDispatcher first(*store_, *bus_, recovering_options());
        ASSERT_EQ(run_next().outcome, JobOutcome::done);
        ASSERT_EQ(run_next().outcome, JobOutcome::cached);
        ASSERT_EQ(deliveries(delivered, 1).size(), 1u);
        ASSERT_EQ(deliveries(gave_up, 2).size(), 2u);
    }
    // Ended after the others' last attempts, so a scan that wrongly listed them would send them first.
    auto owed = enqueue_with_webhook(late.url());
    ASSERT_EQ(run_next().outcome, JobOutcome::cached);
    {
        WebhookDispatcher next(*store_, *bus_, recovering_options());
        ASSERT_EQ(late.wait_for(1).size(), 1u);
        ASSERT_EQ(deliveries(owed, 1).size(), 1u);
    }
    EXPECT_EQ(answering.wait_for(0).size(), 1u);
    EXPECT_EQ(failing.wait_for(0).size(), 2u);
    EXPECT_EQ(must(store_->list_deliveries(tenant_.id, delivered.id)).size(), 1u);
    EXPECT_EQ(must(store_->list_deliveries(tenant_.id, gave_up.id)).size(), 2u);
}

TEST_F(WebhookRecoveryTest, TwoNodesOnPostgresTakeOverWhatAStoppedNodeLeftWithOneBody) {
    WebhookReceiver receiver({200});
    auto url = must(must(vidgen::testing::shared_postgres())->create_schema());
    auto node_a = must(store::open_store(url));
    auto node_b = must(store::open_store(url));
    auto tenant = must(node_a->create_tenant({.id = "", .name = "acme", .created = 1000}));
    store::TimeMs now = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    store::Job job;
    job.tenant_id = tenant.id;
    job.spec_json = colour_spec(0.4);
    job.webhook_url = receiver.url();
    job.created = now - 100;
    job = must(node_a->insert_job(job)).job;
    auto leased = must(node_a->lease_job(job.id, "stopped-node", 60, now - 50));
    ASSERT_TRUE(leased.has_value());
    must(node_a->complete_job(store::lease_of(*leased), {}, now - 40));
    must(node_a->record_delivery({.tenant_id = tenant.id,
                                  .job_id = job.id,
                                  .url = job.webhook_url,
                                  .event = "job.done",
                                  .attempt = 1,
                                  .status_code = 503,
                                  .created = now - 30}));  // the stopped node's only attempt
    {
        WebhookDispatcher a(*node_a, *bus_, recovering_options());
        WebhookDispatcher b(*node_b, *bus_, recovering_options());
        ASSERT_GE(receiver.wait_for(1).size(), 1u);
    }

    auto requests = receiver.wait_for(0);
    for (const auto& request : requests) EXPECT_EQ(request.body, requests[0].body);
    auto body = boost::json::parse(requests[0].body).as_object();
    EXPECT_EQ(body.at("job").at("id").as_string(), job.id);
    auto recorded = must(node_b->list_deliveries(tenant.id, job.id));
    ASSERT_EQ(recorded.size(), 1 + requests.size());
    for (std::size_t i = 1; i < recorded.size(); ++i) {
        EXPECT_EQ(recorded[i].attempt, 2);
        EXPECT_EQ(recorded[i].status_code, 200);
    }
}

}  // namespace
}  // namespace vidgen::worker::testing
