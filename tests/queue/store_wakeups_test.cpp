// StoreWakeups against a real PostgreSQL (started by tests/support): a job queued through another process's
// store wakes this queue's waiting worker through LISTEN/NOTIFY, long before the idle poll would.
#include "queue/store_wakeups.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <future>

#include "support/postgres_server.hpp"

namespace vidgen::queue {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<store::Store> open(const std::string& url) {
    auto store = store::open_store(url);
    if (!store) ADD_FAILURE() << store.error().to_string();
    return store ? std::move(*store) : nullptr;
}

TEST(StoreWakeups, AJobQueuedThroughAnotherStoreWakesAWaitingWorker) {
    auto server = testing::shared_postgres();
    ASSERT_TRUE(server) << server.error().to_string();
    auto url = (*server)->create_schema();
    ASSERT_TRUE(url) << url.error().to_string();
    auto here = open(*url);
    auto elsewhere = open(*url);
    ASSERT_TRUE(here && elsewhere);
    auto tenant = here->create_tenant({.name = "acme"});
    ASSERT_TRUE(tenant);

    JobQueue queue(*here);
    StoreWakeups wakeups(queue, *here);
    JobQueue other(*elsewhere);
    auto woken = std::async(std::launch::async, [&] { return queue.wait_for_work(20s); });
    std::this_thread::sleep_for(300ms);  // the waiter is waiting; only the NOTIFY can wake it now
    store::Job job;
    job.tenant_id = tenant->id;
    job.spec_json = "{}";
    ASSERT_TRUE(other.enqueue(job));
    ASSERT_EQ(woken.wait_for(10s), std::future_status::ready) << "no wake-up from the other store";
    EXPECT_TRUE(woken.get());
    auto leased = queue.lease("w");
    ASSERT_TRUE(leased);
    EXPECT_TRUE(leased->has_value());
}

}  // namespace
}  // namespace vidgen::queue
