// PostgreSQL and Redis restarts in the middle of work. Jobs flow through API-only `vidgen serve` nodes and
// `vidgen worker`s while the test stops the database (fast shutdown) or Redis for a few seconds and starts
// it again on the same port and data dir. Nobody restarts vidgen: every job the API accepted ends done
// exactly once with one output, and every process recovers by itself. While PostgreSQL is away a create
// is answered with a JSON 503 and a Retry-After, which the client retries with the same Idempotency-Key;
// while Redis is away the API keeps answering from memory, and once it is back events and cache
// invalidations flow between the nodes again.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>

#include "app/node_harness.hpp"
#include "support/postgres_server.hpp"
#include "support/redis_server.hpp"

namespace vidgen {
namespace {

using namespace std::chrono_literals;
using testing::authorized;
using testing::Clock;
using testing::fetch;
using testing::Nodes;
using testing::ServeProcess;
using testing::wait_metric;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// A 503 a client can act on: a JSON error with code "unavailable" and a Retry-After.
bool clean_unavailable(const testing::Reply& reply) {
    if (reply.status != 503 || reply.header("retry-after").empty()) return false;
    if (!reply.header("content-type").starts_with("application/json")) return false;
    boost::system::error_code error;
    auto body = boost::json::parse(reply.body, error);
    const auto* object = error ? nullptr : body.if_object();
    const auto* detail = object ? object->if_contains("error") : nullptr;
    return detail && detail->is_object() && detail->as_object().contains("code") &&
           detail->as_object().at("code") == "unavailable";
}

// What a client saw while it created jobs: job n is sent with Idempotency-Key job-n, again after each
// 503, until it is accepted (202, or 200 when a lost answer had created it already).
class Submitter {
  public:
    Submitter(std::vector<const ServeProcess*> nodes, std::string key)
        : nodes_(std::move(nodes)), key_(std::move(key)), thread_([this] { run(); }) {}
    ~Submitter() { finish(); }

    // Stops after the job in flight is accepted.
    void finish() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
    }
    std::size_t accepted() {
        std::lock_guard lock(mutex_);
        return ids_.size();
    }
    std::optional<Clock::time_point> first_accept_since(Clock::time_point since) {
        std::lock_guard lock(mutex_);
        for (auto time : accepted_at_)
            if (time >= since) return time;
        return std::nullopt;
    }
    std::vector<std::string> ids() {
        std::lock_guard lock(mutex_);
        return ids_;
    }
    int unavailable() const { return unavailable_.load(); }
    std::string wrong() {
        std::lock_guard lock(mutex_);
        return wrong_;
    }

    // Jobs burst-0 … burst-(count-1) at once, from the calling thread.
    void burst(int count) {
        for (int n = 0; n < count; ++n) submit(1'000'000 + n, fmt::format("burst-{}", n));
    }

  private:
    void run() {
        for (int n = 0; !stop_.load(); ++n) {
            submit(n, fmt::format("job-{}", n));
            std::this_thread::sleep_for(100ms);
        }
    }

    void submit(int n, const std::string& idempotency_key) {
        const auto give_up = Clock::now() + 20s;
        while (Clock::now() < give_up) {
            auto call = authorized(key_, "POST", testing::small_job(n));
            call.headers.push_back("Idempotency-Key: " + idempotency_key);
            auto reply = fetch(nodes_[n % nodes_.size()]->url() + "/api/v1/video/create", call);
            if (reply.status == 202 || reply.status == 200) {
                std::lock_guard lock(mutex_);
                ids_.emplace_back(boost::json::parse(reply.body).at("id").as_string());
                accepted_at_.push_back(Clock::now());
                return;
            }
            if (clean_unavailable(reply)) {
                ++unavailable_;
            } else {
                std::lock_guard lock(mutex_);
                wrong_ += fmt::format("job {}: {} {}\n", n, reply.status, reply.body);
            }
            std::this_thread::sleep_for(100ms);
        }
        std::lock_guard lock(mutex_);
        wrong_ += fmt::format("job {}: never accepted\n", n);
    }

    std::vector<const ServeProcess*> nodes_;
    std::string key_;
    std::atomic<bool> stop_ = false;
    std::atomic<int> unavailable_ = 0;
    std::mutex mutex_;
    std::vector<std::string> ids_;
    std::vector<Clock::time_point> accepted_at_;
    std::string wrong_;
    std::thread thread_;  // last: starts after the rest exists
};

// Every job in `ids` ends done with one output of its own.
void expect_each_done_once(const ServeProcess& node, const std::string& key,
                           const std::vector<std::string>& ids, Clock::time_point until) {
    std::set<std::string> outputs;
    for (const auto& id : ids) {
        auto state = testing::wait_finished(node, key, id, until);
        EXPECT_EQ(state["status"], "done") << id << " " << boost::json::serialize(state);
        if (state["status"] != "done") continue;
        const auto& files = state["outputs"].as_array();
        EXPECT_EQ(files.size(), 1u) << id;
        if (!files.empty()) outputs.insert(std::string(files[0].at("key").as_string()));
    }
    EXPECT_EQ(outputs.size(), ids.size()) << "each job has its own output";
}

// The workers' LISTEN connections (store/detail/pg_listener), by their application name.
constexpr const char* kListeners =
    "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'vidgen-listen'";

bool wait_listeners(testing::PostgresSession& session, const std::string& count, Clock::time_point until) {
    while (session.run(kListeners).value_or("?") != count) {
        if (Clock::now() >= until) return false;
        std::this_thread::sleep_for(50ms);
    }
    return true;
}

TEST(PostgresRestart, EveryAcceptedJobIsDoneOnceAndTheServiceRecoversByItself) {
    auto postgres = testing::PostgresServer::start();  // its own: it is stopped in the middle
    ASSERT_TRUE(postgres) << postgres.error().to_string();
    auto redis = testing::RedisServer::start();
    ASSERT_TRUE(redis) << redis.error().to_string();
    const auto db = (*postgres)->url("vidgen");
    Nodes nodes(db, (*redis)->url(), {"--lease-timeout", "10s", "--rate-limit", "0"});
    const auto key = nodes.create_key();
    ASSERT_FALSE(key.empty()) << nodes.failure();
    const ServeProcess* api = nodes.start("serve", {"--render", "false"});
    ASSERT_TRUE(api && nodes.start("worker", {"--concurrency", "2"}) &&
                nodes.start("worker", {"--concurrency", "2"}))
        << nodes.failure();

    auto session = testing::PostgresSession::connect(db);
    ASSERT_TRUE(session) << session.error().to_string();
    Submitter submitter({api}, key);
    std::this_thread::sleep_for(1s);
    submitter.burst(12);  // more than the workers' four threads take at once
    ASSERT_NE(session->run("SELECT count(*) FROM jobs WHERE status IN ('queued', 'rendering')").value_or("0"),
              "0")
        << "no work left to stop in the middle of: " << submitter.wrong();
    EXPECT_EQ(session->run(kListeners).value_or("?"), "2") << "each worker LISTENs for new jobs";
    ASSERT_TRUE((*postgres)->stop());
    std::this_thread::sleep_for(2500ms);  // clients keep creating: 503s
    ASSERT_TRUE((*postgres)->start_again());
    const auto back = Clock::now();
    std::this_thread::sleep_for(1500ms);
    submitter.finish();

    const auto ids = submitter.ids();
    expect_each_done_once(*api, key, ids, back + 30s);
    const auto first_accept = submitter.first_accept_since(back);
    ASSERT_TRUE(first_accept) << "no job was accepted after PostgreSQL came back";
    fmt::print(
        "PostgreSQL back: first job accepted after {:.2f} s, all {} jobs done {:.2f} s after; {} 503s\n",
        std::chrono::duration<double>(*first_accept - back).count(), ids.size(), seconds_since(back),
        submitter.unavailable());
    EXPECT_GT(submitter.unavailable(), 0) << "no client saw the database away";
    EXPECT_EQ(submitter.wrong(), "");
    auto after = testing::PostgresSession::connect(db);  // the first went with the server
    ASSERT_TRUE(after) << after.error().to_string();
    EXPECT_EQ(after->run("SELECT count(*) FROM jobs").value_or("?"), std::to_string(ids.size()))
        << "a create answered 503 left a job behind";
    EXPECT_EQ(after->run("SELECT count(*) FROM outputs").value_or("?"), std::to_string(ids.size()));
    EXPECT_EQ(testing::count_files(nodes.media(), ".mp4"), static_cast<int>(ids.size()))
        << "a job rendered twice: " << nodes.logs();
    EXPECT_TRUE(wait_listeners(*after, "2", Clock::now() + 5s)) << "the workers' LISTEN did not come back";
    EXPECT_TRUE(nodes.all_alive()) << nodes.failure();
    EXPECT_EQ(fetch(api->url() + "/health/ready").status, 200);
    EXPECT_TRUE(nodes.stop_all()) << nodes.failure();
}

// Opens the tenant's event stream on `watcher`, creates job `n` through `creator` once the stream is open,
// and returns the job's id when its done event reached the stream (else "").
std::string done_event_across(const ServeProcess& creator, const ServeProcess& watcher,
                              const std::string& key, int n) {
    std::atomic<bool> open = false;
    std::atomic<bool> ended = false;
    std::atomic<bool> seen = false;
    std::string id;
    std::mutex mutex;
    auto call = authorized(key);
    call.timeout_ms = 20'000;
    std::thread stream([&] {
        testing::fetch_until(watcher.url() + "/api/v1/events", call, [&](const std::string& body) {
            open = body.find("event: status") != std::string::npos;
            std::lock_guard lock(mutex);
            seen = !id.empty() && body.find("event: done") != std::string::npos &&
                   body.find(id, body.find("event: done")) != std::string::npos;
            return seen.load();
        });
        ended = true;
    });
    while (!open.load() && !ended.load()) std::this_thread::sleep_for(10ms);
    auto reply =
        fetch(creator.url() + "/api/v1/video/create", authorized(key, "POST", testing::small_job(n)));
    {
        std::lock_guard lock(mutex);
        if (reply.status == 202) id = std::string(boost::json::parse(reply.body).at("id").as_string());
    }
    stream.join();
    return seen.load() ? id : std::string();
}

TEST(RedisRestart, ApiAnswersFromMemoryWhileRedisIsAwayAndEventsCrossNodesAfter) {
    auto postgres = testing::shared_postgres();
    ASSERT_TRUE(postgres) << postgres.error().to_string();
    auto db = (*postgres)->create_schema();
    ASSERT_TRUE(db) << db.error().to_string();
    auto redis = testing::RedisServer::start();  // its own: it is stopped in the middle
    ASSERT_TRUE(redis) << redis.error().to_string();
    Nodes nodes(*db, (*redis)->url(), {"--lease-timeout", "10s", "--rate-limit", "1000"});
    const auto key = nodes.create_key();
    ASSERT_FALSE(key.empty()) << nodes.failure();
    const ServeProcess* a = nodes.start("serve", {"--render", "false"});
    const ServeProcess* b = nodes.start("serve", {"--render", "false"});
    ASSERT_TRUE(a && b && nodes.start("worker", {"--concurrency", "2"})) << nodes.failure();
    ASSERT_NE(done_event_across(*a, *b, key, 0), "") << "events do not cross nodes even before the outage";
    const auto tmpl = testing::create_template(*a, key, "before");
    ASSERT_EQ(testing::read_template(*b, key, tmpl).name, "before");
    ASSERT_TRUE(testing::read_template(*b, key, tmpl).cached);

    Submitter submitter({a, b}, key);
    ASSERT_TRUE((*redis)->stop());
    const auto away = Clock::now();
    EXPECT_TRUE(wait_metric(*a, "vidgen_cache_redis_degraded 1", away + 5s));
    EXPECT_GE(testing::rename_and_wait_across(*a, *a, key, tmpl, "during", 0s), 0)
        << "A serves its own write";
    std::this_thread::sleep_for(2s);
    ASSERT_TRUE((*redis)->start_again());
    const auto back = Clock::now();
    EXPECT_TRUE(wait_metric(*a, "vidgen_cache_redis_degraded 0", back + 10s));
    EXPECT_TRUE(wait_metric(*b, "vidgen_cache_redis_degraded 0", back + 10s));
    const double recovered = seconds_since(back);
    EXPECT_EQ(testing::read_template(*b, key, tmpl).name, "during")
        << "node B still serves what it cached before the outage";
    EXPECT_GE(testing::rename_and_wait_across(*a, *b, key, tmpl, "after", 1s), 0)
        << "invalidations do not reach node B after Redis came back";
    submitter.finish();

    const auto id = done_event_across(*a, *b, key, 1'000'000);
    EXPECT_NE(id, "") << "a job's events from node A do not reach node B's stream after Redis came back";
    fmt::print(
        "Redis back: both nodes out of memory-only mode after {:.2f} s, events across nodes after "
        "{:.2f} s\n",
        recovered, seconds_since(back));
    expect_each_done_once(*a, key, submitter.ids(), back + 30s);
    EXPECT_EQ(submitter.unavailable(), 0) << "the API must answer from memory while Redis is away";
    EXPECT_EQ(submitter.wrong(), "");
    EXPECT_NE(b->log().find("Redis unavailable"), std::string::npos) << "no warning while Redis was away";
    EXPECT_TRUE(nodes.all_alive()) << nodes.failure();
    EXPECT_TRUE(nodes.stop_all()) << nodes.failure();
}

}  // namespace
}  // namespace vidgen
