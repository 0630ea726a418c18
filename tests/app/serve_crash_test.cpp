// `vidgen serve` killed with SIGKILL while it renders: after a restart every accepted job completes exactly
// once, with one output each, and nothing half-written is left behind. Real processes, real HTTP.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <set>
#include <thread>

#include "core/scratch_dir.hpp"
#include "support/http_client.hpp"
#include "support/serve_process.hpp"

namespace vidgen {
namespace {

using testing::Call;
using testing::fetch;
using testing::ServeProcess;

// About a second of rendering each: text sliding across the frame, so no frame repeats.
std::string moving_text_job(int n) {
    return R"({"spec": {"output": {"width": 640, "height": 360, "fps": 25},
      "timeline": {"background": "#224466", "tracks": [{"clips": [{"type": "text", "text": "Job {{n}}",
        "start": 0, "length": 6, "x": [{"time": 0, "value": "-40vw"}, {"time": 6, "value": "40vw"}]}]}]}},
      "data": {"n": )" +
           std::to_string(n) + "}}";
}

Call authorized(std::string key, std::string method = "GET", std::string body = {}) {
    Call call;
    call.method = std::move(method);
    call.body = std::move(body);
    call.headers = {"Authorization: Bearer " + key, "Content-Type: application/json"};
    return call;
}

// The job's id; `status` is 202 for a new job, 200 when the idempotency key names an earlier one.
std::string submit(const ServeProcess& server, const std::string& key, int n, long status = 202) {
    auto call = authorized(key, "POST", moving_text_job(n));
    call.headers.push_back("Idempotency-Key: crash-" + std::to_string(n));
    auto reply = fetch(server.url() + "/api/v1/video/create", call);
    EXPECT_EQ(reply.status, status) << reply.body;
    return std::string(boost::json::parse(reply.body).at("id").as_string());
}

boost::json::object job(const ServeProcess& server, const std::string& key, const std::string& id) {
    auto reply = fetch(server.url() + "/api/v1/jobs/" + id, authorized(key));
    if (reply.status != 200) return {};
    return boost::json::parse(reply.body).as_object();
}

int count_files(const std::filesystem::path& dir, std::string_view suffix) {
    int count = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (entry.is_regular_file() && entry.path().string().ends_with(suffix)) ++count;
    }
    return count;
}

TEST(ServeCrash, EveryAcceptedJobCompletesExactlyOnceAfterKillNine) {
    auto dir = ScratchDir::create("serve-crash").value();
    const std::vector<std::string> flags = {"--workers", "2", "--lease-timeout", "2s", "--rate-limit", "0"};
    ServeProcess first(VIDGEN_BINARY, dir.path() / "data", flags);
    ASSERT_TRUE(first.start()) << first.log();
    const std::string key = first.first_admin_key();
    std::vector<std::string> ids;
    for (int n = 0; n < 10; ++n) ids.push_back(submit(first, key, n));
    for (auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
         std::chrono::steady_clock::now() < until && job(first, key, ids[2])["status"] == "queued";) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    const bool interrupted = job(first, key, ids[2])["status"] == "rendering";
    first.stop(SIGKILL);

    ServeProcess second(VIDGEN_BINARY, dir.path() / "data", flags);
    ASSERT_TRUE(second.start()) << second.log();
    for (int n = 10; n < 12; ++n) ids.push_back(submit(second, key, n));
    EXPECT_EQ(submit(second, key, 3, 200), ids[3]) << "the idempotency key survives the crash";

    std::set<std::string> outputs;
    for (const auto& id : ids) {
        boost::json::object state;
        for (auto until = std::chrono::steady_clock::now() + std::chrono::seconds(120);
             std::chrono::steady_clock::now() < until;) {
            state = job(second, key, id);
            if (state["status"] != "queued" && state["status"] != "rendering") break;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        ASSERT_EQ(state["status"], "done") << id << " " << boost::json::serialize(state);
        ASSERT_EQ(state["outputs"].as_array().size(), 1u) << id;
        outputs.insert(std::string(state["outputs"].as_array()[0].at("key").as_string()));
    }
    EXPECT_EQ(outputs.size(), ids.size()) << "each job has its own output";
    if (interrupted) {
        EXPECT_EQ(job(second, key, ids[2])["attempts"], 2) << "leased again after the crash";
    }
    EXPECT_EQ(count_files(dir.path() / "data" / "media", ".mp4"), static_cast<int>(ids.size()))
        << "no second output from a retried render";
    EXPECT_EQ(count_files(dir.path() / "data", ".partial"), 0);
    EXPECT_TRUE(std::filesystem::is_empty(dir.path() / "data" / "scratch"))
        << "the killed renders' folders are swept at the restart";
    EXPECT_EQ(second.stop(SIGTERM), 0) << second.log();
}

}  // namespace
}  // namespace vidgen
