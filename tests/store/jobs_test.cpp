// Jobs and batches: insert, idempotency keys, tenant isolation, cursor pagination, filters, bulk inserts.
#include <atomic>
#include <set>
#include <thread>

#include "store_fixture.hpp"

namespace vidgen::store::testing {
namespace {

class JobsTest : public StoreTest {};

TEST_P(JobsTest, InsertedJobReadsBackWithEveryField) {
    auto t =
        must(store_->create_template({.tenant_id = alice_.id, .name = "t", .spec_json = "{}", .created = 1}));
    Job job = job_for(alice_, 50, 3);
    job.spec_json.clear();
    job.template_id = t.id;
    job.data_json = R"({"name":"Ann"})";
    job.webhook_url = "https://example.test/hook";
    job.idempotency_key = "k1";
    auto inserted = must(store_->insert_job(job));
    EXPECT_TRUE(inserted.created);
    auto read = must(store_->get_job(alice_.id, inserted.job.id));
    EXPECT_EQ(read.template_id, t.id);
    EXPECT_EQ(read.template_version, 1);
    EXPECT_EQ(read.data_json, R"({"name":"Ann"})");
    EXPECT_EQ(read.webhook_url, "https://example.test/hook");
    EXPECT_EQ(read.status, JobStatus::queued);
    EXPECT_EQ(read.priority, 3);
    EXPECT_EQ(read.idempotency_key, "k1");
    EXPECT_EQ(read.created, 50);
    EXPECT_EQ(read.attempts, 0);
}

TEST_P(JobsTest, IdempotencyKeyIsUniquePerTenant) {
    Job job = job_for(alice_, 10);
    job.idempotency_key = "same";
    auto first = must(store_->insert_job(job));
    job.created = 20;
    auto second = must(store_->insert_job(job));
    EXPECT_TRUE(first.created);
    EXPECT_FALSE(second.created);
    EXPECT_EQ(second.job.id, first.job.id);
    EXPECT_EQ(second.job.created, 10);
    job.tenant_id = bob_.id;
    auto bobs = must(store_->insert_job(job));
    EXPECT_TRUE(bobs.created);
    EXPECT_NE(bobs.job.id, first.job.id);
    EXPECT_EQ(must(store_->count_jobs(alice_.id)).total(), 1);
}

TEST_P(JobsTest, RacingInsertsWithOneIdempotencyKeyCreateOneJob) {
    std::atomic<int> created = 0;
    std::vector<std::string> ids(4);
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
        threads.emplace_back([&, i] {
            Job job = job_for(alice_, 10 + i);
            job.idempotency_key = "retry-me";
            auto inserted = store_->insert_job(job);
            if (!inserted) return;
            ids[static_cast<std::size_t>(i)] = inserted->job.id;
            if (inserted->created) ++created;
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(created.load(), 1);
    for (const auto& id : ids) EXPECT_EQ(id, ids[0]);
    EXPECT_EQ(must(store_->count_jobs(alice_.id)).total(), 1);
}

TEST_P(JobsTest, AnotherTenantsJobIsNotFoundForEveryCall) {
    auto job = insert(alice_, 10);
    EXPECT_EQ(store_->get_job(bob_.id, job.id).error().code, Code::not_found);
    EXPECT_EQ(store_->cancel_job(bob_.id, job.id, 11).error().code, Code::not_found);
    EXPECT_TRUE(must(store_->list_jobs({.tenant_id = bob_.id})).jobs.empty());
    EXPECT_EQ(must(store_->count_jobs(bob_.id)).total(), 0);
    EXPECT_TRUE(must(store_->list_outputs(bob_.id, job.id)).empty());
    EXPECT_EQ(must(store_->get_job(alice_.id, job.id)).status, JobStatus::queued);
    EXPECT_EQ(store_->insert_job(job_for(Tenant{.id = "nobody"}, 1)).error().code, Code::not_found);
}

TEST_P(JobsTest, PagesGoNewestFirstWithoutGapsOrRepeats) {
    std::set<std::string> ids;
    for (int i = 0; i < 25; ++i) ids.insert(insert(alice_, 100 + i / 3).id);  // ties on created
    insert(bob_, 200);
    std::set<std::string> seen;
    std::string cursor;
    TimeMs previous = 1'000'000;
    int pages = 0;
    do {
        auto page = must(store_->list_jobs({.tenant_id = alice_.id, .cursor = cursor, .limit = 7}));
        for (const auto& job : page.jobs) {
            EXPECT_LE(job.created, previous);
            previous = job.created;
            EXPECT_TRUE(seen.insert(job.id).second) << "repeated " << job.id;
        }
        cursor = page.next_cursor;
        ++pages;
    } while (!cursor.empty());
    EXPECT_EQ(pages, 4);
    EXPECT_EQ(seen, ids);
}

TEST_P(JobsTest, FullLastPageHasNoCursorAndEmptyTenantHasNoPage) {
    for (int i = 0; i < 4; ++i) insert(alice_, 10 + i);
    auto first = must(store_->list_jobs({.tenant_id = alice_.id, .limit = 2}));
    auto second = must(store_->list_jobs({.tenant_id = alice_.id, .cursor = first.next_cursor, .limit = 2}));
    EXPECT_EQ(second.jobs.size(), 2u);
    EXPECT_TRUE(second.next_cursor.empty());
    EXPECT_EQ(second.jobs.back().created, 10);
    auto none = must(store_->list_jobs({.tenant_id = bob_.id}));
    EXPECT_TRUE(none.jobs.empty());
    EXPECT_TRUE(none.next_cursor.empty());
}

TEST_P(JobsTest, ListFiltersByStatusTemplateAndTime) {
    auto t =
        must(store_->create_template({.tenant_id = alice_.id, .name = "t", .spec_json = "{}", .created = 1}));
    Job templated = job_for(alice_, 30);
    templated.template_id = t.id;
    auto with_template = must(store_->insert_job(templated)).job;
    auto early = insert(alice_, 10);
    auto late = insert(alice_, 50);
    must(store_->cancel_job(alice_.id, late.id, 60));
    auto ids = [&](const JobQuery& q) {
        std::vector<std::string> out;
        for (const auto& job : must(store_->list_jobs(q)).jobs) out.push_back(job.id);
        return out;
    };
    using V = std::vector<std::string>;
    EXPECT_EQ(ids({.tenant_id = alice_.id, .status = JobStatus::canceled}), V{late.id});
    EXPECT_EQ(ids({.tenant_id = alice_.id, .template_id = t.id}), V{with_template.id});
    EXPECT_EQ(ids({.tenant_id = alice_.id, .created_from = 10, .created_to = 30}), V{early.id});
    EXPECT_EQ(ids({.tenant_id = alice_.id, .created_from = 30}), (V{late.id, with_template.id}));
    EXPECT_EQ(store_->list_jobs({.tenant_id = alice_.id, .cursor = "garbage"}).error().code,
              Code::invalid_argument);
}

TEST_P(JobsTest, TenThousandJobsInsertInOneTransaction) {
    std::vector<Job> jobs;
    for (int i = 0; i < 10'000; ++i) jobs.push_back(job_for(alice_, 1000 + i));
    auto inserted = must(store_->insert_jobs(std::move(jobs)));
    ASSERT_EQ(inserted.size(), 10'000u);
    EXPECT_EQ(must(store_->count_jobs(alice_.id)).queued, 10'000);
    EXPECT_EQ(must(store_->get_job(alice_.id, inserted[9'999].job.id)).created, 1000 + 9'999);
}

TEST_P(JobsTest, BulkInsertKeepsIdempotencyKeysAndEveryCharacter) {
    Job earlier = job_for(alice_, 1);
    earlier.idempotency_key = "old";
    auto old_id = must(store_->insert_job(earlier)).job.id;
    std::vector<Job> jobs;
    for (int i = 0; i < 100; ++i) jobs.push_back(job_for(alice_, 10 + i));
    jobs[10].idempotency_key = jobs[50].idempotency_key = "dup";
    jobs[70].idempotency_key = "old";
    jobs[20].data_json = "{\"s\":\"tab\\t nl\\n \\\\ \t\n\r\\\\N é ✓\"}";
    auto inserted = must(store_->insert_jobs(jobs));
    ASSERT_EQ(inserted.size(), 100u);
    EXPECT_TRUE(inserted[10].created);
    EXPECT_FALSE(inserted[50].created);
    EXPECT_EQ(inserted[50].job.id, inserted[10].job.id);
    EXPECT_FALSE(inserted[70].created);
    EXPECT_EQ(inserted[70].job.id, old_id);
    EXPECT_EQ(inserted[70].job.created, 1);
    EXPECT_EQ(must(store_->count_jobs(alice_.id)).total(), 99);
    EXPECT_EQ(must(store_->get_job(alice_.id, inserted[20].job.id)).data_json, jobs[20].data_json);
}

TEST_P(JobsTest, BulkInsertIsAllOrNothing) {
    std::vector<Job> jobs{job_for(alice_, 1), job_for(alice_, 2), job_for(Tenant{.id = "nobody"}, 3)};
    EXPECT_EQ(store_->insert_jobs(std::move(jobs)).error().code, Code::not_found);
    EXPECT_EQ(must(store_->count_jobs(alice_.id)).total(), 0);
}

TEST_P(JobsTest, BatchCountsItsJobsByStatus) {
    auto t =
        must(store_->create_template({.tenant_id = alice_.id, .name = "t", .spec_json = "{}", .created = 1}));
    std::vector<Job> rows;
    for (int i = 0; i < 5; ++i) {
        Job job = job_for(alice_, 10 + i);
        job.template_id = t.id;
        rows.push_back(job);
    }
    auto batch = must(store_->create_batch(
        {.tenant_id = alice_.id, .template_id = t.id, .template_version = 1, .created = 10}, rows));
    auto page = must(store_->list_jobs({.tenant_id = alice_.id}));
    ASSERT_EQ(page.jobs.size(), 5u);
    EXPECT_EQ(page.jobs[0].batch_id, batch.id);
    must(store_->cancel_job(alice_.id, page.jobs[0].id, 20));
    auto read = must(store_->get_batch(alice_.id, batch.id));
    EXPECT_EQ(read.counts.queued, 4);
    EXPECT_EQ(read.counts.canceled, 1);
    EXPECT_EQ(read.template_id, t.id);
    EXPECT_EQ(store_->get_batch(bob_.id, batch.id).error().code, Code::not_found);
    Job intruder = job_for(bob_, 30);
    intruder.batch_id = batch.id;
    EXPECT_EQ(store_->insert_job(intruder).error().code, Code::not_found);
}

TEST_P(JobsTest, LargeBatchResolvesItsTemplateForEveryJob) {
    auto t =
        must(store_->create_template({.tenant_id = alice_.id, .name = "t", .spec_json = "{}", .created = 1}));
    must(store_->update_template({.id = t.id, .tenant_id = alice_.id, .name = "t2", .spec_json = "{}"}));
    std::vector<Job> rows(200, job_for(alice_, 10));
    for (auto& job : rows) job.template_id = t.id;
    auto batch =
        must(store_->create_batch({.tenant_id = alice_.id, .template_id = t.id, .created = 10}, rows));
    EXPECT_EQ(batch.counts.queued, 200);
    EXPECT_EQ(must(store_->get_batch(alice_.id, batch.id)).counts.queued, 200);
    auto page = must(store_->list_jobs({.tenant_id = alice_.id, .limit = 3}));
    ASSERT_EQ(page.jobs.size(), 3u);
    EXPECT_EQ(page.jobs[0].template_version, 2);
    EXPECT_EQ(page.jobs[0].batch_id, batch.id);
    rows[0].template_id = "tpl_missing";
    EXPECT_EQ(store_->create_batch({.tenant_id = alice_.id, .created = 11}, rows).error().code,
              Code::not_found);
    EXPECT_EQ(must(store_->count_jobs(alice_.id)).total(), 200);
}

INSTANTIATE_TEST_SUITE_P(Backends, JobsTest, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace vidgen::store::testing
