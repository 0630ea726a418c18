// Store::list_owed_webhooks on every backend: which ended jobs still owe their webhook a delivery (the
// dispatcher's recovery scan after a process stopped), across tenants, oldest first, bounded.
#include "store_fixture.hpp"

namespace vidgen::store::testing {
namespace {

constexpr int kMaxAttempts = 3;

class OwedWebhooksTest : public StoreTest {
  protected:
    // A job of `tenant` with a webhook, leased and then done (or failed) at `finished`.
    Job ended(const Tenant& tenant, TimeMs finished, bool done = true, std::string url = "https://x.test/h") {
        Job job = job_for(tenant, finished - 100);
        job.webhook_url = std::move(url);
        job = must(store_->insert_job(job)).job;
        auto leased = must(store_->lease_job(job.id, "w", 60, finished - 50));
        EXPECT_TRUE(leased.has_value());
        if (done) must(store_->complete_job(lease_of(*leased), {}, finished));
        if (!done) must(store_->fail_job(lease_of(*leased), "broken", finished));
        return job;
    }

    void attempted(const Job& job, std::string event, int attempt, int status, TimeMs at) {
        must(store_->record_delivery({.tenant_id = job.tenant_id,
                                      .job_id = job.id,
                                      .url = job.webhook_url,
                                      .event = std::move(event),
                                      .attempt = attempt,
                                      .status_code = status,
                                      .created = at}));
    }

    std::vector<WebhookDelivery> owed(TimeMs quiet_before, int limit = 10) {
        return must(store_->list_owed_webhooks(900, quiet_before, kMaxAttempts, limit));
    }
};

TEST_P(OwedWebhooksTest, ListsEndedJobsWhoseEndEventHasNeitherA2xxNorEveryAttempt) {
    auto never_tried = ended(alice_, 1000);
    auto failed_once = ended(alice_, 1100, false);
    attempted(failed_once, "job.failed", 1, 500, 1200);
    Job canceled = job_for(bob_, 1000);
    canceled.webhook_url = "https://y.test/h";
    canceled = must(store_->insert_job(canceled)).job;
    must(store_->cancel_job(bob_.id, canceled.id, 1050));

    auto delivered = ended(alice_, 1000);
    attempted(delivered, "job.done", 1, 503, 1010);
    attempted(delivered, "job.done", 2, 204, 1030);
    auto gave_up = ended(alice_, 1000);
    for (int attempt = 1; attempt <= kMaxAttempts; ++attempt)
        attempted(gave_up, "job.done", attempt, 0, 1000);
    ended(alice_, 1000, true, "");  // no webhook
    ended(alice_, 800);             // ended before the window
    Job queued = job_for(alice_, 1000);
    queued.webhook_url = "https://x.test/h";
    must(store_->insert_job(queued));

    auto found = owed(5000);
    ASSERT_EQ(found.size(), 3u);
    EXPECT_EQ(found[0].job_id, never_tried.id);
    EXPECT_EQ(found[0].tenant_id, alice_.id);
    EXPECT_EQ(found[0].event, "job.done");
    EXPECT_EQ(found[0].url, "https://x.test/h");
    EXPECT_EQ(found[0].attempt, 0);
    EXPECT_EQ(found[0].created, 1000);
    EXPECT_EQ(found[1].job_id, canceled.id);
    EXPECT_EQ(found[1].tenant_id, bob_.id);
    EXPECT_EQ(found[1].event, "job.canceled");
    EXPECT_EQ(found[1].created, 1050);
    EXPECT_EQ(found[2].job_id, failed_once.id);
    EXPECT_EQ(found[2].event, "job.failed");
    EXPECT_EQ(found[2].attempt, 1);
    EXPECT_EQ(found[2].created, 1200);
}

TEST_P(OwedWebhooksTest, ADeliveryOfAnotherEventDoesNotSettleTheEndEvent) {
    auto job = ended(alice_, 1000);
    attempted(job, "job.failed", 1, 200, 1010);
    auto found = owed(5000);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].attempt, 0);
}

TEST_P(OwedWebhooksTest, LeavesOutRecentActivityAndStopsAtTheLimit) {
    auto first = ended(alice_, 1000);
    auto second = ended(alice_, 1100);
    auto retried = ended(alice_, 1000);
    attempted(retried, "job.done", 1, 500, 1300);

    auto quiet = owed(1100);
    ASSERT_EQ(quiet.size(), 2u);
    EXPECT_EQ(quiet[0].job_id, first.id);
    EXPECT_EQ(quiet[1].job_id, second.id);
    auto limited = owed(5000, 1);
    ASSERT_EQ(limited.size(), 1u);
    EXPECT_EQ(limited[0].job_id, first.id);
}

INSTANTIATE_TEST_SUITE_P(Backends, OwedWebhooksTest, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace vidgen::store::testing
