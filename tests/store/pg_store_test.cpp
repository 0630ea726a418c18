// PostgreSQL specifics the shared suite cannot see: the connection pool's limit and idle timeout, dead
// connections replaced without the caller noticing, the statement timeout, eight workers leasing at once,
// migrations racing from several processes, and unreachable servers.
#include <fmt/format.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "store_fixture.hpp"

namespace vidgen::store::testing {
namespace {

using std::chrono::milliseconds;
using vidgen::testing::PostgresSession;

class PgStoreTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto server = vidgen::testing::shared_postgres();
        ASSERT_TRUE(server.has_value()) << server.error().to_string();
        url_ = must((*server)->create_schema());
        admin_ = std::make_unique<PostgresSession>(must(PostgresSession::connect(url_)));
        application_ = must(admin_->run("SELECT current_setting('application_name')"));
        must(admin_->run("SET application_name = 'test-admin'"));
    }

    std::unique_ptr<Store> open(const StoreOptions& options) { return must(open_store(url_, options)); }

    // How many of this test's store connections (the URL's application_name) match `condition`.
    int connections(const std::string& condition = "true") {
        auto count = must(admin_->run(
            fmt::format("SELECT count(*) FROM pg_stat_activity WHERE application_name = '{}' AND {}",
                        application_, condition)));
        return std::stoi(count);
    }

    // Polls until `connections(condition)` reaches `count`; false after ~10 s.
    bool wait_for_connections(int count, const std::string& condition = "true") {
        for (int i = 0; i < 1000; ++i) {
            if (connections(condition) == count) return true;
            std::this_thread::sleep_for(milliseconds(10));
        }
        return false;
    }

    std::string url_;
    std::string application_;                 // unique to this test's schema
    std::unique_ptr<PostgresSession> admin_;  // never inside a transaction: pg_stat_activity is fresh
};

// Holds an exclusive lock on the tenants table from its own session until released or destroyed, so
// store calls touching tenants block on the server while holding their connection.
class TenantsLock {
  public:
    explicit TenantsLock(const std::string& url) : session_(must(PostgresSession::connect(url))) {
        must(session_.run(
            "SET application_name = 'test-lock'; BEGIN; LOCK TABLE tenants IN ACCESS EXCLUSIVE MODE"));
    }
    ~TenantsLock() { release(); }
    TenantsLock(const TenantsLock&) = delete;
    TenantsLock& operator=(const TenantsLock&) = delete;
    void release() {
        if (held_) {
            EXPECT_TRUE(session_.run("COMMIT").has_value());  // no throw: also runs in the destructor
        }
        held_ = false;
    }

  private:
    PostgresSession session_;
    bool held_ = true;
};

constexpr const char* kWaitingOnLock = "wait_event_type = 'Lock'";

TEST_F(PgStoreTest, CallersBeyondThePoolLimitWaitThenAllSucceed) {
    auto store = open({.min_connections = 1, .max_connections = 2});
    must(store->create_tenant({.name = "alice", .created = 1}));
    std::atomic<int> succeeded = 0;
    std::vector<std::jthread> callers;
    TenantsLock lock(url_);  // released before the callers are joined, even when an assertion fails
    for (int i = 0; i < 5; ++i) {
        callers.emplace_back([&] {
            if (store->list_tenants()) ++succeeded;
        });
    }
    ASSERT_TRUE(wait_for_connections(2, kWaitingOnLock));
    std::this_thread::sleep_for(milliseconds(200));  // room for a third connection, were the pool to open one
    EXPECT_EQ(connections(), 2);
    lock.release();
    for (auto& caller : callers) caller.join();
    EXPECT_EQ(succeeded.load(), 5);
}

TEST_F(PgStoreTest, IdleConnectionsAboveTheMinimumClose) {
    auto store = open({.min_connections = 1, .max_connections = 4, .idle_timeout = milliseconds(50)});
    must(store->create_tenant({.name = "alice", .created = 1}));
    std::vector<std::jthread> callers;
    TenantsLock lock(url_);
    for (int i = 0; i < 4; ++i) callers.emplace_back([&] { must(store->list_tenants()); });
    ASSERT_TRUE(wait_for_connections(4, kWaitingOnLock));
    lock.release();
    for (auto& caller : callers) caller.join();
    EXPECT_TRUE(wait_for_connections(1));
    EXPECT_EQ(must(store->list_tenants()).size(), 1u);
}

TEST_F(PgStoreTest, TerminatedConnectionsAreReplacedTransparently) {
    auto store = open({.min_connections = 3, .max_connections = 3});
    auto alice = must(store->create_tenant({.name = "alice", .created = 1}));
    auto terminated = must(admin_->run(fmt::format(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '{}'",
        application_)));
    EXPECT_EQ(terminated, "3");
    for (int i = 0; i < 5; ++i) EXPECT_EQ(must(store->get_tenant(alice.id)).name, "alice");
    must(store->create_tenant({.name = "bob", .created = 2}));
    EXPECT_EQ(must(store->list_tenants()).size(), 2u);
}

TEST_F(PgStoreTest, AQueryPastTheStatementTimeoutFailsAndThePoolRecovers) {
    auto store = open({.max_connections = 1, .statement_timeout = milliseconds(100)});
    auto alice = must(store->create_tenant({.name = "alice", .created = 1}));
    TenantsLock lock(url_);
    auto blocked = store->get_tenant(alice.id);
    lock.release();
    ASSERT_FALSE(blocked.has_value());
    EXPECT_EQ(blocked.error().code, Code::io);
    EXPECT_EQ(must(store->get_tenant(alice.id)).name, "alice");
}

TEST_F(PgStoreTest, QueriesSlowerThanTheThresholdAreLogged) {
    auto sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(100);
    auto previous = spdlog::default_logger();
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("capture", sink));
    {
        auto store = open({.slow_query_threshold = milliseconds(0)});
        must(store->create_tenant({.name = "alice", .created = 1}));
    }
    spdlog::set_default_logger(previous);
    bool logged = false;
    for (const auto& line : sink->last_formatted()) {
        logged = logged || (line.find("slow query") != std::string::npos &&
                            line.find("INSERT INTO tenants") != std::string::npos);
    }
    EXPECT_TRUE(logged);
}

TEST_F(PgStoreTest, EightWorkersNeverLeaseTheSameJob) {
    auto store = open({.max_connections = 8});
    auto alice = must(store->create_tenant({.name = "alice", .created = 1}));
    std::vector<Job> jobs(400);
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        jobs[i].tenant_id = alice.id;
        jobs[i].spec_json = "{}";
        jobs[i].priority = static_cast<int>(i % 3);
        jobs[i].created = static_cast<TimeMs>(i);
    }
    must(store->insert_jobs(jobs));
    std::vector<std::vector<std::string>> leased(8);
    std::vector<std::thread> workers;
    for (std::size_t w = 0; w < leased.size(); ++w) {
        workers.emplace_back([&, w] {
            std::string name = "w" + std::to_string(w);
            for (;;) {
                auto job = store->lease_next_job(name, 60, 1000);
                if (!job || !*job) return;
                leased[w].push_back((*job)->id);
                must(store->complete_job(lease_of(**job), {}, 1001));
            }
        });
    }
    for (auto& worker : workers) worker.join();
    std::multiset<std::string> all;
    for (const auto& ids : leased) all.insert(ids.begin(), ids.end());
    std::set<std::string> distinct(all.begin(), all.end());
    EXPECT_EQ(all.size(), 400u);
    EXPECT_EQ(distinct.size(), 400u);
    EXPECT_EQ(must(store->count_jobs(alice.id)).done, 400);
}

TEST_F(PgStoreTest, AJobQueuedThroughAnotherStoreWakesAWaiter) {
    auto waiter = open({});
    auto other = open({});
    auto alice = must(other->create_tenant({.name = "alice", .created = 1}));
    std::atomic<bool> woken = false;
    std::jthread waiting([&] {
        for (int i = 0; i < 100 && !woken; ++i) woken = waiter->wait_for_jobs(milliseconds(100));
    });
    // LISTEN starts with the first wait, at a moment the test cannot see: enqueue until it is heard.
    for (int i = 0; i < 200 && !woken; ++i) {
        must(other->insert_job({.tenant_id = alice.id, .spec_json = "{}", .created = i}));
        std::this_thread::sleep_for(milliseconds(50));
    }
    waiting.join();
    EXPECT_TRUE(woken.load());
}

TEST_F(PgStoreTest, StoresOpeningTogetherApplyEachMigrationOnce) {
    std::vector<std::thread> openers;
    std::atomic<int> opened = 0;
    for (int i = 0; i < 4; ++i) {
        openers.emplace_back([&] {
            if (open_store(url_)) ++opened;
        });
    }
    for (auto& opener : openers) opener.join();
    EXPECT_EQ(opened.load(), 4);
    int version = must(open({})->schema_version());
    EXPECT_EQ(must(admin_->run("SELECT count(*) FROM schema_migrations")), std::to_string(version));
}

TEST_F(PgStoreTest, NewerSchemaThanTheProgramIsRefused) {
    open({});
    must(admin_->run("INSERT INTO schema_migrations (version, applied) VALUES (999, 0)"));
    auto result = open_store(url_);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, Code::unsupported);
}

TEST(PgRestart, AStoreRecoversWhenItsServerRestarts) {
    auto server = must(vidgen::testing::PostgresServer::start());  // its own: the shared one must not restart
    auto store = must(open_store(server->url("vidgen"), {.min_connections = 2, .max_connections = 4}));
    auto alice = must(store->create_tenant({.name = "alice", .created = 1}));
    must(server->restart());
    EXPECT_EQ(must(store->get_tenant(alice.id)).name, "alice");
    must(store->create_tenant({.name = "bob", .created = 2}));
    EXPECT_EQ(must(store->list_tenants()).size(), 2u);
}

TEST(PgOpen, UnreachableServerIsAnIoError) {
    auto result = open_store("postgres://postgres@127.0.0.1:1/vidgen");
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, Code::io);
    EXPECT_EQ(open_store("postgresql://postgres@127.0.0.1:1/vidgen").error().code, Code::io);
}

}  // namespace
}  // namespace vidgen::store::testing
