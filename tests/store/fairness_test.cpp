// Per-tenant fairness of lease_next_job: among ready jobs of the highest priority, the tenant with the
// fewest jobs rendering goes first (ties: the one leased least recently, then the one whose oldest ready
// job is oldest), then that tenant's oldest job.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "store_fixture.hpp"

namespace vidgen::store::testing {
namespace {

class FairnessTest : public StoreTest {
  protected:
    Job lease(TimeMs now) {
        auto leased = must(store_->lease_next_job("w", 30, now));
        EXPECT_TRUE(leased.has_value());
        return leased.value_or(Job{});
    }
    void insert_many(const Tenant& tenant, TimeMs first_created, int count) {
        std::vector<Job> jobs;
        for (int i = 0; i < count; ++i) jobs.push_back(job_for(tenant, first_created + i));
        must(store_->insert_jobs(std::move(jobs)));
    }
};

TEST_P(FairnessTest, OneTenantsBatchDoesNotStarveAJobSubmittedLater) {
    insert_many(alice_, 10, 50);
    auto late = insert(bob_, 100);
    std::vector<std::string> leased;
    for (int i = 0; i < 2; ++i) {
        auto job = lease(200 + i);
        leased.push_back(job.id);
        must(store_->complete_job(lease_of(job), {}, 200 + i));
    }
    EXPECT_NE(std::find(leased.begin(), leased.end(), late.id), leased.end());
}

TEST_P(FairnessTest, TenantWithFewerJobsRenderingGoesFirstThenTheOldestHead) {
    auto alice_first = insert(alice_, 10);
    auto alice_second = insert(alice_, 11);
    auto bob_first = insert(bob_, 20);
    auto bob_second = insert(bob_, 21);
    EXPECT_EQ(lease(100).id, alice_first.id);
    EXPECT_EQ(lease(100).id, bob_first.id);
    EXPECT_EQ(lease(100).id, alice_second.id);
    EXPECT_EQ(lease(100).id, bob_second.id);
    EXPECT_FALSE(must(store_->lease_next_job("w", 30, 100)).has_value());
}

TEST_P(FairnessTest, PriorityComesBeforeFairness) {
    auto running = insert(alice_, 10);
    EXPECT_EQ(lease(100).id, running.id);
    auto bob_low = insert(bob_, 20, 0);
    auto alice_high = insert(alice_, 30, 5);
    EXPECT_EQ(lease(100).id, alice_high.id);
    EXPECT_EQ(lease(100).id, bob_low.id);
}

TEST_P(FairnessTest, JobsWaitingForTheirBackoffAreSkipped) {
    auto backing_off = insert(bob_, 5);
    auto retried = lease(10);
    must(store_->requeue_with_backoff(lease_of(retried), "flaky", 1000, 10));
    auto alice_job = insert(alice_, 20);
    EXPECT_EQ(lease(100).id, alice_job.id);
    EXPECT_FALSE(must(store_->lease_next_job("w", 30, 100)).has_value());
    EXPECT_EQ(lease(1000).id, backing_off.id);
}

TEST_P(FairnessTest, TenantsTakeTurnsUntilEveryJobIsLeasedOnce) {
    insert_many(alice_, 10, 6);
    insert_many(bob_, 20, 3);
    std::set<std::string> seen;
    std::vector<std::string> tenants;
    for (int i = 0; i < 9; ++i) {
        auto job = lease(100);
        EXPECT_TRUE(seen.insert(job.id).second);
        tenants.push_back(job.tenant_id);
    }
    std::vector<std::string> expected = {alice_.id, bob_.id,   alice_.id, bob_.id,  alice_.id,
                                         bob_.id,   alice_.id, alice_.id, alice_.id};
    EXPECT_EQ(tenants, expected);
}

INSTANTIATE_TEST_SUITE_P(Backends, FairnessTest, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace vidgen::store::testing
