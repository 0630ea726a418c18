// The blob sweep's store queries on every backend: which content keys an output or an asset of any tenant
// refers to, and the bounded delete of segment outputs whose parent ended failed or canceled.
#include <algorithm>
#include <set>
#include <string>

#include "store_fixture.hpp"

namespace vidgen::store::testing {
namespace {

std::string key(char c) {
    return std::string(64, c) + ".mp4";
}

class BlobRefsTest : public StoreTest {
  protected:
    // A job of `tenant` leased and completed at 2000 with one output per key.
    Job done_with(const Tenant& tenant, const std::vector<std::string>& keys, std::string parent_id = {}) {
        Job job = job_for(tenant, 1000);
        job.parent_id = std::move(parent_id);
        job = must(store_->insert_job(job)).job;
        auto leased = must(store_->lease_job(job.id, "w", 60, 1500));
        EXPECT_TRUE(leased.has_value());
        std::vector<Output> outputs;
        for (const auto& k : keys)
            outputs.push_back({.job_id = job.id, .content_key = k, .size = 10, .format = "segment"});
        must(store_->complete_job(lease_of(*leased), outputs, 2000));
        return job;
    }

    std::set<std::string> referenced(const std::vector<std::string>& keys) {
        auto found = must(store_->referenced_keys(keys));
        return {found.begin(), found.end()};
    }
};

TEST_P(BlobRefsTest, ReferencedKeysAreThoseOfOutputsAndAssetsOfAnyTenant) {
    done_with(alice_, {key('a')});
    must(store_->create_asset({.tenant_id = bob_.id, .content_key = key('b'), .size = 3, .name = "x.png"}));
    done_with(bob_, {key('a')});  // the same bytes rendered by another tenant: listed once

    EXPECT_EQ(referenced({key('a'), key('b'), key('c')}), (std::set<std::string>{key('a'), key('b')}));
    EXPECT_TRUE(referenced({key('c')}).empty());
    EXPECT_TRUE(referenced({}).empty());
    std::vector<std::string> too_many(Store::kMaxKeyBatch + 1, key('c'));
    auto refused = store_->referenced_keys(too_many);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, Code::invalid_argument);
}

TEST_P(BlobRefsTest, SegmentOutputsOfAFailedOrCanceledParentAreDeletedInBoundedBatches) {
    auto failed = must(store_->insert_job(job_for(alice_, 1000))).job;
    done_with(alice_, {key('1')}, failed.id);
    done_with(alice_, {key('2')}, failed.id);
    auto leased = must(store_->lease_job(failed.id, "w", 60, 1500));
    ASSERT_TRUE(leased.has_value());
    must(store_->fail_job(lease_of(*leased), "broken", 3000));
    auto canceled = must(store_->insert_job(job_for(bob_, 1000))).job;
    done_with(bob_, {key('3')}, canceled.id);
    must(store_->cancel_job(bob_.id, canceled.id, 3000));
    auto rendering = must(store_->insert_job(job_for(alice_, 1000))).job;
    done_with(alice_, {key('4')}, rendering.id);
    ASSERT_TRUE(must(store_->lease_job(rendering.id, "w", 60, 1500)).has_value());

    auto first = must(store_->delete_abandoned_segment_outputs(2));
    auto second = must(store_->delete_abandoned_segment_outputs(2));
    EXPECT_EQ(first.size(), 2u);
    ASSERT_EQ(second.size(), 1u);
    std::set<std::string> deleted;
    for (const auto& output : first) deleted.insert(output.content_key);
    deleted.insert(second[0].content_key);
    EXPECT_EQ(deleted, (std::set<std::string>{key('1'), key('2'), key('3')}));
    EXPECT_EQ(second[0].size, 10);
    EXPECT_TRUE(must(store_->delete_abandoned_segment_outputs(2)).empty());
    EXPECT_EQ(referenced({key('1'), key('2'), key('3'), key('4')}), (std::set<std::string>{key('4')}));
}

INSTANTIATE_TEST_SUITE_P(Backends, BlobRefsTest, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace vidgen::store::testing
