// The records of a segment-parallel render: segments are jobs with a parent, kept out of the tenant's
// lists and counts, idempotent per parent and index, and leased one by one by the parent's worker.
#include <map>
#include <set>

#include "store_fixture.hpp"

namespace vidgen::store::testing {
namespace {

class SegmentsTest : public StoreTest {
  protected:
    // The segments of `parent`, `count` spans of 100 frames, as a worker inserts them.
    std::vector<Job> segments_of(const Job& parent, int count) {
        std::vector<Job> segments;
        for (int i = 0; i < count; ++i) {
            Job segment = job_for(alice_, parent.created + 1);
            segment.parent_id = parent.id;
            segment.segment_first = 100 * i;
            segment.segment_frames = 100;
            segment.idempotency_key = parent.id + ":segment:" + std::to_string(i);
            segments.push_back(std::move(segment));
        }
        return segments;
    }
};

TEST_P(SegmentsTest, SegmentsAreListedByParentOnlyAndNotCounted) {
    auto parent = must(store_->insert_job(job_for(alice_, 10))).job;
    for (const auto& inserted : must(store_->insert_jobs(segments_of(parent, 3))))
        EXPECT_TRUE(inserted.created);

    auto own = must(store_->list_jobs({.tenant_id = alice_.id}));
    ASSERT_EQ(own.jobs.size(), 1u);
    EXPECT_EQ(own.jobs[0].id, parent.id);
    EXPECT_EQ(must(store_->count_jobs(alice_.id)).total(), 1);

    auto segments = must(store_->list_jobs({.tenant_id = alice_.id, .parent_id = parent.id, .limit = 10}));
    ASSERT_EQ(segments.jobs.size(), 3u);
    std::set<std::int64_t> firsts;
    for (const auto& segment : segments.jobs) {
        EXPECT_EQ(segment.parent_id, parent.id);
        EXPECT_EQ(segment.segment_frames, 100);
        firsts.insert(segment.segment_first);
    }
    EXPECT_EQ(firsts, (std::set<std::int64_t>{0, 100, 200}));
    EXPECT_TRUE(must(store_->list_jobs({.tenant_id = bob_.id, .parent_id = parent.id})).jobs.empty());
}

TEST_P(SegmentsTest, InsertingTheSegmentsAgainGivesTheFirstOnes) {
    auto parent = must(store_->insert_job(job_for(alice_, 10))).job;
    auto first = must(store_->insert_jobs(segments_of(parent, 2)));
    auto again = must(store_->insert_jobs(segments_of(parent, 2)));
    ASSERT_EQ(again.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_FALSE(again[i].created);
        EXPECT_EQ(again[i].job.id, first[i].job.id);
    }
}

TEST_P(SegmentsTest, LeaseJobTakesOnlyAReadyQueuedJob) {
    auto parent = must(store_->insert_job(job_for(alice_, 10))).job;
    auto segments = must(store_->insert_jobs(segments_of(parent, 2)));
    const auto& one = segments[0].job;
    auto leased = must(store_->lease_job(one.id, "w1", 30, 1000));
    ASSERT_TRUE(leased);
    EXPECT_EQ(leased->status, JobStatus::rendering);
    EXPECT_EQ(leased->lease_owner, "w1");
    EXPECT_EQ(leased->attempts, 1);
    EXPECT_EQ(leased->lease_expires, 31000);
    EXPECT_EQ(leased->parent_id, parent.id);
    EXPECT_FALSE(must(store_->lease_job(one.id, "w2", 30, 1001)));  // already rendering
    EXPECT_FALSE(must(store_->lease_job("job_missing", "w2", 30, 1001)));

    const auto& two = segments[1].job;
    auto by_queue = must(store_->lease_next_job("w3", 30, 1002));
    ASSERT_TRUE(by_queue);
    EXPECT_TRUE(by_queue->id == two.id || by_queue->id == parent.id);
    must(store_->requeue_with_backoff(lease_of(*by_queue), "later", 5000, 1003));
    EXPECT_FALSE(must(store_->lease_job(by_queue->id, "w2", 30, 4999)));  // waiting for its backoff
    EXPECT_TRUE(must(store_->lease_job(by_queue->id, "w2", 30, 5000)));
}

TEST_P(SegmentsTest, CancelingTheParentCancelsItsUnfinishedSegmentsAtOnce) {
    auto parent = must(store_->insert_job(job_for(alice_, 10))).job;
    auto segments = must(store_->insert_jobs(segments_of(parent, 3)));
    auto leased = must(store_->lease_job(segments[0].job.id, "w1", 30, 1000));
    ASSERT_TRUE(leased);
    must(store_->complete_job(lease_of(*leased), {}, 1001));
    ASSERT_TRUE(must(store_->lease_job(segments[1].job.id, "w2", 30, 1002)));
    EXPECT_EQ(store_->cancel_job(bob_.id, parent.id, 1003).error().code, Code::not_found);
    EXPECT_EQ(must(store_->cancel_job(alice_.id, parent.id, 1004)).status, JobStatus::canceled);
    auto after = must(store_->list_jobs({.tenant_id = alice_.id, .parent_id = parent.id, .limit = 10}));
    std::map<std::string, JobStatus> status;
    for (const auto& job : after.jobs) status[job.id] = job.status;
    EXPECT_EQ(status[segments[0].job.id], JobStatus::done);
    EXPECT_EQ(status[segments[1].job.id], JobStatus::canceled);
    EXPECT_EQ(status[segments[2].job.id], JobStatus::canceled);
}

INSTANTIATE_TEST_SUITE_P(Backends, SegmentsTest, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace vidgen::store::testing
