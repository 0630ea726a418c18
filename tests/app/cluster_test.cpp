// A cluster on one machine: two API-only `vidgen serve` and three `vidgen worker` processes on one PostgreSQL
// schema, one Redis and one media folder. Jobs are submitted through both API nodes while a thread kills a
// random worker with SIGKILL and restarts it, over and over: every job ends done exactly once with an output
// of its own, both nodes agree, and a node that cached a job's earlier state serves the new one soon after.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "app/cli_harness.hpp"
#include "app/node_harness.hpp"
#include "core/scratch_dir.hpp"
#include "support/http_client.hpp"
#include "support/postgres_server.hpp"
#include "support/redis_server.hpp"
#include "support/serve_process.hpp"

namespace vidgen {
namespace {

using testing::authorized;
using testing::Call;
using testing::Clock;
using testing::count_files;
using testing::fetch;
using testing::job_state;
using testing::ServeProcess;
using testing::small_job;
using testing::wait_finished;

constexpr int kJobs = 200;

// The last line `vidgen keys create` printed: the key.
std::string create_key(const std::string& db, const std::filesystem::path& dir) {
    auto result = testing::run_vidgen("keys create --tenant t --db " + testing::quote(db), dir);
    EXPECT_EQ(result.exit_code, 0) << result.out;
    auto text = result.out;
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return text.substr(text.find_last_of('\n') + 1);
}

class Cluster {
  public:
    Cluster(const std::string& db, const std::string& cache, std::vector<std::string> extra = {})
        : media_(dir_.path() / "media"),
          flags_{"--db",         db, "--cache", cache, "--media", media_.string(), "--lease-timeout", "2s",
                 "--rate-limit", "0"} {
        flags_.insert(flags_.end(), extra.begin(), extra.end());
        std::filesystem::create_directories(media_);
    }

    // Two API-only nodes and three workers, each with a data dir of its own; false if one does not start.
    bool start() {
        for (int n = 0; n < 2; ++n) api_.push_back(spawn("serve", {"--render", "false"}, n));  // API only
        for (int n = 0; n < 3; ++n) workers_.push_back(spawn("worker", {"--concurrency", "1"}, n));
        for (auto& process : api_) {
            if (!process->start()) return failed(*process);
        }
        for (auto& process : workers_) {
            if (!process->start()) return failed(*process);
        }
        return true;
    }

    // Kills a random worker with SIGKILL about every second and starts it again, until `stop`.
    void kill_workers(const std::atomic<bool>& stop) {
        std::mt19937 random(std::random_device{}());
        std::uniform_int_distribution<int> pause(700, 1300);
        while (!stop.load()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(pause(random)));
            auto& worker = *workers_[random() % workers_.size()];
            worker.stop(SIGKILL);
            ++kills_;
            if (!worker.start()) failed(worker);
        }
    }

    // SIGTERM to every process; false (with the log in failure()) unless each exits 0.
    bool stop_all() {
        bool clean = true;
        for (auto* group : {&workers_, &api_}) {
            for (auto& process : *group) {
                if (process->stop(SIGTERM) != 0) clean = failed(*process);
            }
        }
        return clean;
    }

    const ServeProcess& api(int n) const { return *api_[n % 2]; }
    const ServeProcess& worker(int n) const { return *workers_[n]; }
    const std::filesystem::path& media() const { return media_; }
    const std::filesystem::path& dir() const { return dir_.path(); }
    int kills() const { return kills_.load(); }
    std::string failure() const {
        std::lock_guard lock(mutex_);
        return failure_;
    }

  private:
    std::unique_ptr<ServeProcess> spawn(const std::string& command, std::vector<std::string> extra, int n) {
        auto flags = flags_;
        flags.insert(flags.end(), extra.begin(), extra.end());
        auto data = dir_.path() / (command + "-" + std::to_string(n));
        return std::make_unique<ServeProcess>(VIDGEN_BINARY, data, flags, command);
    }

    bool failed(const ServeProcess& process) {
        std::lock_guard lock(mutex_);
        failure_ += process.log() + "\n";
        return false;
    }

    ScratchDir dir_ = *ScratchDir::create("cluster");
    std::filesystem::path media_;
    std::vector<std::string> flags_;
    std::vector<std::unique_ptr<ServeProcess>> api_;
    std::vector<std::unique_ptr<ServeProcess>> workers_;
    std::atomic<int> kills_ = 0;
    mutable std::mutex mutex_;
    std::string failure_;
};

// Submits job n through node n % 2 and reads it through both, so each node caches it while queued.
std::string submit(const Cluster& cluster, const std::string& key, int n) {
    auto reply = fetch(cluster.api(n).url() + "/api/v1/video/create", authorized(key, "POST", small_job(n)));
    EXPECT_EQ(reply.status, 202) << reply.body;
    if (reply.status != 202) return {};
    std::string id(boost::json::parse(reply.body).at("id").as_string());
    EXPECT_TRUE(job_state(cluster.api(n), key, id).contains("status"));
    EXPECT_TRUE(job_state(cluster.api(n + 1), key, id).contains("status"));
    return id;
}

// Once node n + 1 sees job n finished, node n (which cached it earlier) must follow within the
// invalidation window (PostgreSQL write by a worker, Redis pub/sub to the API nodes), with slack for a
// loaded machine.
boost::json::object wait_coherent(const Cluster& cluster, const std::string& key, const std::string& id,
                                  int n, Clock::time_point until) {
    auto state = wait_finished(cluster.api(n + 1), key, id, until);
    EXPECT_EQ(state["status"], "done") << id << " " << boost::json::serialize(state);
    if (state["status"] != "done") return state;
    auto other = wait_finished(cluster.api(n), key, id, Clock::now() + std::chrono::seconds(2));
    EXPECT_EQ(other["status"], state["status"])
        << id << ": node " << n % 2 << " still serves " << boost::json::serialize(other);
    return other;
}

// A PostgreSQL schema and a Redis database of the test's own (cache keys are not prefixed per process).
struct Backends {
    std::string db;
    std::string cache;
};

Backends fresh_backends(int redis_db) {
    auto postgres = testing::shared_postgres();
    EXPECT_TRUE(postgres) << postgres.error().to_string();
    auto redis = testing::shared_redis();
    EXPECT_TRUE(redis) << redis.error().to_string();
    if (!postgres || !redis) return {};
    auto db = (*postgres)->create_schema();
    EXPECT_TRUE(db) << db.error().to_string();
    if (!db) return {};
    return {*db, (*redis)->url() + "/" + std::to_string(redis_db)};
}

TEST(Cluster, EveryJobCompletesOnceThroughTwoApiNodesWhileWorkersAreKilled) {
    auto [db, cache] = fresh_backends(1 + ::getpid() % 7);
    ASSERT_FALSE(db.empty());

    Cluster cluster(db, cache);
    const std::string key = create_key(db, cluster.dir());
    ASSERT_TRUE(cluster.start()) << cluster.failure();
    std::atomic<bool> stop = false;
    std::thread killer([&] { cluster.kill_workers(stop); });
    std::vector<std::string> ids;
    for (int n = 0; n < kJobs; ++n) ids.push_back(submit(cluster, key, n));

    std::set<std::string> outputs;
    int retried = 0;
    // About 10 s on a quiet machine and 20-55 s under a load of 15-20 on two cores; a stuck job still fails
    // well inside ctest's 600 s timeout.
    const auto until = Clock::now() + std::chrono::seconds(240);
    for (int n = 0; n < kJobs; ++n) {
        auto state = wait_coherent(cluster, key, ids[n], n, until);
        if (state["status"] != "done") continue;
        EXPECT_EQ(state["outputs"].as_array().size(), 1u) << ids[n];
        if (state["outputs"].as_array().empty()) continue;
        retried += state["attempts"].to_number<int>() > 1 ? 1 : 0;
        outputs.insert(std::string(state["outputs"].as_array()[0].at("key").as_string()));
    }
    stop = true;
    killer.join();

    EXPECT_GT(cluster.kills(), 0);
    EXPECT_GT(retried, 0) << "no job was taken over from a killed worker";
    EXPECT_EQ(outputs.size(), ids.size()) << "each job has its own output";
    EXPECT_EQ(count_files(cluster.media(), ".mp4"), kJobs) << "no second output from a retried render";
    EXPECT_EQ(cluster.failure(), "") << "a restarted worker did not start";
    EXPECT_TRUE(cluster.stop_all()) << cluster.failure();
}

// `seconds` of text sliding across over the soundtrack `music`.
std::string long_spec(int seconds, const std::string& music) {
    const std::string length = std::to_string(seconds);
    return R"({"output": {"width": 320, "height": 180, "fps": 25},
      "timeline": {"background": "#224466", "soundtrack": {"src": ")" +
           music + R"(", "fade_out": 1}, "tracks": [{"clips": [{"type": "text", "text": "Segments",
        "start": 0, "length": )" +
           length + R"(, "x": [{"time": 0, "value": "-40vw"}, {"time": )" + length +
           R"(, "value": "40vw"}]}]}]}})";
}

// The count of jobs a worker process finished as done, from its /metrics.
int jobs_done(const ServeProcess& worker) {
    auto text = fetch(worker.url() + "/metrics").body;
    const std::string name = R"(vidgen_jobs_finished_total{outcome="done"} )";
    auto at = text.find(name);
    return at == std::string::npos ? 0 : std::stoi(text.substr(at + name.size()));
}

TEST(Cluster, ALongJobIsRenderedInSegmentsByTheWorkersAndEqualsASingleRender) {
    auto [db, cache] = fresh_backends(8 + ::getpid() % 7);
    ASSERT_FALSE(db.empty());
    Cluster cluster(db, cache, {"--segment-threshold", "2s", "--segment-length", "1s"});
    const std::string key = create_key(db, cluster.dir());
    ASSERT_TRUE(cluster.start()) << cluster.failure();

    const auto music = std::filesystem::path(VIDGEN_SOURCE_DIR) / "examples/media/music.m4a";
    Call upload = authorized(key, "POST");
    upload.headers = {"Authorization: Bearer " + key, "Content-Type: audio/mp4"};
    std::ifstream in(music, std::ios::binary);
    upload.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    auto asset = fetch(cluster.api(0).url() + "/api/v1/assets", upload);
    ASSERT_EQ(asset.status, 201) << asset.body;
    std::string asset_id(boost::json::parse(asset.body).at("id").as_string());

    auto body = R"({"spec": )" + long_spec(12, "asset:" + asset_id) + "}";
    auto created = fetch(cluster.api(0).url() + "/api/v1/video/create", authorized(key, "POST", body));
    ASSERT_EQ(created.status, 202) << created.body;
    std::string id(boost::json::parse(created.body).at("id").as_string());
    auto state = wait_finished(cluster.api(1), key, id, Clock::now() + std::chrono::seconds(90));
    ASSERT_EQ(state["status"], "done") << boost::json::serialize(state);
    ASSERT_EQ(state["outputs"].as_array().size(), 1u);

    auto url = std::string(state["outputs"].as_array()[0].at("url").as_string());
    auto media = fetch(url.starts_with("http") ? url : cluster.api(0).url() + url);
    ASSERT_EQ(media.status, 200);
    std::ofstream(cluster.dir() / "joined.mp4", std::ios::binary) << media.body;
    std::ofstream(cluster.dir() / "single.json") << long_spec(12, music.string());
    auto single = testing::run_vidgen("render single.json -o single.mp4 --quiet", cluster.dir());
    ASSERT_EQ(single.exit_code, 0) << single.out;

    auto joined_probe = testing::run_vidgen("probe joined.mp4", cluster.dir());
    auto single_probe = testing::run_vidgen("probe single.mp4", cluster.dir());
    ASSERT_EQ(joined_probe.exit_code, 0) << joined_probe.out;
    auto a = boost::json::parse(joined_probe.out).as_object();
    auto b = boost::json::parse(single_probe.out).as_object();
    EXPECT_EQ(a["duration"], b["duration"]);
    EXPECT_EQ(a["streams"], b["streams"]) << joined_probe.out << single_probe.out;

    int workers_that_rendered = 0;
    for (int n = 0; n < 3; ++n) workers_that_rendered += jobs_done(cluster.worker(n)) > 0 ? 1 : 0;
    EXPECT_GE(workers_that_rendered, 2) << "the segments were not shared";
    EXPECT_EQ(count_files(cluster.media(), ".mp4"), 1);
    EXPECT_TRUE(cluster.stop_all()) << cluster.failure();
}

}  // namespace
}  // namespace vidgen
