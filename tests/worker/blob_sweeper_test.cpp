// BlobSweeper on SQLite and PostgreSQL with a real local blob store: old blobs nothing refers to go, blobs
// an output or an asset of any tenant names stay, young ones stay, segment outputs of a failed parent go
// with their blobs, and two sweepers at once remove each blob once.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <ostream>
#include <string>
#include <thread>

#include "blob/local_blob_store.hpp"
#include "core/scratch_dir.hpp"
#include "store/store.hpp"
#include "support/postgres_server.hpp"
#include "worker/blob_sweeper.hpp"
#include "worker_fixture.hpp"

namespace vidgen::worker::testing {
namespace {

using SystemClock = std::chrono::system_clock;

struct Backend {
    std::string name;
    bool postgres = false;
};

void PrintTo(const Backend& backend, std::ostream* out) {
    *out << backend.name;
}

class BlobSweeperTest : public ::testing::TestWithParam<Backend> {
  protected:
    void SetUp() override {
        scratch_ = std::make_unique<ScratchDir>(must(ScratchDir::create("vidgen-sweep-test")));
        std::string url = "sqlite://" + (scratch_->path() / "vidgen.db").string();
        if (GetParam().postgres) url = must(must(vidgen::testing::shared_postgres())->create_schema());
        store_ = must(store::open_store(url));
        blobs_ = must(blob::LocalBlobStore::open_root(scratch_->path() / "media"));
        alice_ = must(store_->create_tenant({.id = "", .name = "alice", .created = 1000}));
        bob_ = must(store_->create_tenant({.id = "", .name = "bob", .created = 1000}));
    }

    // A stored blob of `text`, last put `age` ago (the times of the blob and of its content-type file).
    blob::BlobInfo put(const std::string& text, std::chrono::hours age = std::chrono::hours(48)) {
        auto info = put_now(text);
        age_blob(info.key, age);
        return info;
    }

    blob::BlobInfo put_now(const std::string& text) {
        auto source = scratch_->path() / "source";
        std::ofstream(source, std::ios::binary) << text;
        return must(blobs_->put_file(source, "video/mp4"));
    }

    void age_blob(const std::string& key, std::chrono::hours age) {
        auto seconds = SystemClock::to_time_t(SystemClock::now() - age);
        struct timespec times[2] = {{seconds, 0}, {seconds, 0}};
        auto blob = must(blobs_->path_for(key));
        ASSERT_EQ(::utimensat(AT_FDCWD, blob.c_str(), times, 0), 0);
        ASSERT_EQ(::utimensat(AT_FDCWD, (blob.string() + ".content-type").c_str(), times, 0), 0);
    }

    bool stored(const blob::BlobInfo& info) { return blobs_->stat(info.key).has_value(); }

    // A job of `tenant` (a segment of `parent_id` when given) leased and completed with `outputs`' keys.
    store::Job done_with(const store::Tenant& tenant, const std::vector<blob::BlobInfo>& outputs,
                         std::string parent_id = {}) {
        auto job = insert(tenant, std::move(parent_id));
        auto leased = must(store_->lease_job(job.id, "w", 60, 1500));
        std::vector<store::Output> rows;
        for (const auto& info : outputs) {
            rows.push_back({.job_id = job.id,
                            .content_key = info.key,
                            .size = static_cast<std::int64_t>(info.size),
                            .format = "segment"});
        }
        must(store_->complete_job(store::lease_of(leased.value()), rows, 2000));
        return job;
    }

    store::Job insert(const store::Tenant& tenant, std::string parent_id = {}) {
        store::Job job;
        job.tenant_id = tenant.id;
        job.spec_json = colour_spec();
        job.data_json = "{}";
        job.created = 1000;
        job.parent_id = std::move(parent_id);
        return must(store_->insert_job(job)).job;
    }

    static SweepOptions manual() { return {.periodic = false}; }

    std::unique_ptr<ScratchDir> scratch_;
    std::unique_ptr<store::Store> store_;
    std::unique_ptr<blob::LocalBlobStore> blobs_;
    store::Tenant alice_;
    store::Tenant bob_;
};

TEST_P(BlobSweeperTest, RemovesOnlyOldBlobsThatNoOutputOrAssetOfAnyTenantNames) {
    auto orphan = put("refused render");
    auto output = put("alice's output");
    done_with(alice_, {output});
    auto asset = put("bob's asset");
    must(store_->create_asset({.tenant_id = bob_.id, .content_key = asset.key, .size = 11, .name = "a.mp4"}));
    auto young = put("just rendered", std::chrono::hours(1));
    auto again = put("stored again");
    put_now("stored again");  // a put of bytes already stored makes them young again

    BlobSweeper sweeper(*store_, *blobs_, manual());
    auto report = must(sweeper.sweep_once());
    EXPECT_EQ(report.examined, 5);
    EXPECT_EQ(report.removed, 1);
    EXPECT_EQ(report.removed_bytes, orphan.size);
    EXPECT_FALSE(stored(orphan));
    EXPECT_TRUE(stored(output));
    EXPECT_TRUE(stored(asset));
    EXPECT_TRUE(stored(young));
    EXPECT_TRUE(stored(again));
    EXPECT_EQ(must(sweeper.sweep_once()).removed, 0);
}

TEST_P(BlobSweeperTest, ABlobAnotherTenantsOutputNamesStays) {
    auto shared = put("identical render");
    done_with(bob_, {shared});  // alice's identical render was refused: bob's output still names the bytes

    BlobSweeper sweeper(*store_, *blobs_, manual());
    EXPECT_EQ(must(sweeper.sweep_once()).removed, 0);
    EXPECT_TRUE(stored(shared));
}

TEST_P(BlobSweeperTest, SegmentOutputsOfAFailedParentGoWithTheirBlobsThoseOfARenderingParentStay) {
    auto failed = insert(alice_);
    auto first = put("segment 1 of failed");
    auto second = put("segment 2 of failed");
    done_with(alice_, {first}, failed.id);
    done_with(alice_, {second}, failed.id);
    auto leased = must(store_->lease_job(failed.id, "w", 60, 1500));
    must(store_->fail_job(store::lease_of(leased.value()), "broken", 3000));
    auto rendering = insert(alice_);
    auto kept = put("segment of rendering");
    done_with(alice_, {kept}, rendering.id);
    ASSERT_TRUE(must(store_->lease_job(rendering.id, "w", 60, 1500)).has_value());

    BlobSweeper sweeper(*store_, *blobs_, {.batch = 1, .periodic = false});
    auto report = must(sweeper.sweep_once());
    EXPECT_EQ(report.segment_outputs, 2);
    EXPECT_EQ(report.removed, 2);
    EXPECT_FALSE(stored(first));
    EXPECT_FALSE(stored(second));
    EXPECT_TRUE(stored(kept));
    EXPECT_TRUE(must(store_->list_outputs(alice_.id, failed.id)).empty());
    EXPECT_EQ(must(store_->referenced_keys({first.key, second.key, kept.key})),
              std::vector<std::string>{kept.key});
}

TEST_P(BlobSweeperTest, TwoNodesSweepingAtOnceRemoveEachBlobOnce) {
    for (int i = 0; i < 20; ++i) put("orphan " + std::to_string(i));
    auto other_node = must(blob::LocalBlobStore::open_root(scratch_->path() / "media"));
    BlobSweeper one(*store_, *blobs_, {.batch = 3, .periodic = false});
    BlobSweeper two(*store_, *other_node, {.batch = 3, .periodic = false});

    Result<SweepReport> first, second;
    std::thread racing([&] { second = two.sweep_once(); });
    first = one.sweep_once();
    racing.join();
    ASSERT_TRUE(first.has_value()) << first.error().to_string();
    ASSERT_TRUE(second.has_value()) << second.error().to_string();
    EXPECT_EQ(first->removed + second->removed, 20);
    EXPECT_TRUE(must(blobs_->list()).empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, BlobSweeperTest,
                         ::testing::Values(Backend{"sqlite", false}, Backend{"postgres", true}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace vidgen::worker::testing
