// Many threads calling insert_job at once (the SQLite store commits them in groups): every row lands,
// idempotency keys hold across inserts that share a commit, and an insert that fails its own checks fails
// alone.
#include <fmt/format.h>

#include <latch>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "store_fixture.hpp"

namespace vidgen::store::testing {
namespace {

constexpr int kThreads = 64;
constexpr int kOwnJobs = 12;    // per thread, each with a key of its own (or none)
constexpr int kSharedKeys = 8;  // every thread inserts one job under each of these keys

class ConcurrentInsertsTest : public StoreTest {
  protected:
    struct Outcome {
        std::mutex mutex;
        std::set<std::string> own_ids;
        std::map<std::string, std::set<std::string>> ids_by_shared_key;
        std::map<std::string, int> created_by_shared_key;
        int bad_template_errors = 0;
    };

    // One thread's inserts: its own jobs, a job under each shared key, and one naming no real template.
    void insert_from_thread(int thread, Outcome& outcome) {
        for (int i = 0; i < kOwnJobs; ++i) {
            Job job = job_for(alice_, 1000 + i);
            if (i % 2 == 0) job.idempotency_key = fmt::format("own-{}-{}", thread, i);
            auto inserted = store_->insert_job(job);
            ASSERT_TRUE(inserted) << inserted.error().to_string();
            EXPECT_TRUE(inserted->created);
            std::lock_guard lock(outcome.mutex);
            EXPECT_TRUE(outcome.own_ids.insert(inserted->job.id).second) << inserted->job.id;
        }
        for (int k = 0; k < kSharedKeys; ++k) {
            Job job = job_for(alice_, 2000 + thread);
            job.idempotency_key = fmt::format("shared-{}", (k + thread) % kSharedKeys);
            auto inserted = store_->insert_job(job);
            ASSERT_TRUE(inserted) << inserted.error().to_string();
            std::lock_guard lock(outcome.mutex);
            outcome.ids_by_shared_key[job.idempotency_key].insert(inserted->job.id);
            if (inserted->created) ++outcome.created_by_shared_key[job.idempotency_key];
        }
        Job bad = job_for(alice_, 3000);
        bad.template_id = "tpl_missing";
        auto refused = store_->insert_job(bad);
        std::lock_guard lock(outcome.mutex);
        if (!refused && refused.error().code == Code::not_found) ++outcome.bad_template_errors;
    }
};

TEST_P(ConcurrentInsertsTest, SixtyFourThreadsInsertEveryRowAndHonourIdempotencyKeys) {
    Outcome outcome;
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            start.arrive_and_wait();
            insert_from_thread(t, outcome);
        });
    }
    for (auto& thread : threads) thread.join();

    EXPECT_EQ(outcome.own_ids.size(), std::size_t{kThreads * kOwnJobs});
    EXPECT_EQ(outcome.bad_template_errors, kThreads);
    ASSERT_EQ(outcome.ids_by_shared_key.size(), std::size_t{kSharedKeys});
    for (const auto& [key, ids] : outcome.ids_by_shared_key) {
        EXPECT_EQ(ids.size(), 1u) << key;
        EXPECT_EQ(outcome.created_by_shared_key[key], 1) << key;
    }
    EXPECT_EQ(must(store_->count_jobs(alice_.id)).total(), kThreads * kOwnJobs + kSharedKeys);
    for (const auto& id : outcome.own_ids)
        EXPECT_EQ(must(store_->get_job(alice_.id, id)).id, id);  // committed
}

INSTANTIATE_TEST_SUITE_P(Backends, ConcurrentInsertsTest, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace vidgen::store::testing
