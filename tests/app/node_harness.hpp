// Whole-process tests of a cluster on one machine: `vidgen serve` and `vidgen worker` children sharing one
// database, cache and media folder (each with a data dir of its own under one scratch dir), and the calls
// the tests make through them. Nodes is owned by one test thread; the free functions are thread-safe.
#pragma once

#include <boost/json.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/cli_harness.hpp"
#include "core/scratch_dir.hpp"
#include "support/http_client.hpp"
#include "support/serve_process.hpp"

namespace vidgen::testing {

using Clock = std::chrono::steady_clock;

inline Call authorized(const std::string& key, std::string method = "GET", std::string body = {}) {
    Call call;
    call.method = std::move(method);
    call.body = std::move(body);
    call.headers = {"Authorization: Bearer " + key, "Content-Type: application/json"};
    return call;
}

// Two seconds of a line of text naming `n` sliding across: quick to render, long enough to be stopped in
// the middle of, and each job's output is a file of its own.
inline std::string small_spec() {
    return R"({"output": {"width": 320, "height": 180, "fps": 25}, "timeline": {"background": "#224466",
      "tracks": [{"clips": [{"type": "text", "text": "Job {{n}}", "start": 0, "length": 2,
        "x": [{"time": 0, "value": "-40vw"}, {"time": 2, "value": "40vw"}]}]}]}})";
}

inline std::string small_job(int n) {
    return R"({"spec": )" + small_spec() + R"(, "data": {"n": )" + std::to_string(n) + "}}";
}

// The job as `node` serves it, or an empty object when it does not answer 200.
inline boost::json::object job_state(const ServeProcess& node, const std::string& key,
                                     const std::string& id) {
    auto reply = fetch(node.url() + "/api/v1/jobs/" + id, authorized(key));
    if (reply.status != 200) return {};
    return boost::json::parse(reply.body).as_object();
}

inline bool finished(const boost::json::object& state) {
    return state.contains("status") && state.at("status") != "queued" && state.at("status") != "rendering";
}

// Polls `node` until the job leaves queued/rendering or `until` passes; the last state seen.
inline boost::json::object wait_finished(const ServeProcess& node, const std::string& key,
                                         const std::string& id, Clock::time_point until) {
    auto state = job_state(node, key, id);
    while (!finished(state) && Clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        state = job_state(node, key, id);
    }
    return state;
}

inline int count_files(const std::filesystem::path& dir, std::string_view suffix) {
    int count = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (entry.is_regular_file() && entry.path().string().ends_with(suffix)) ++count;
    }
    return count;
}

// The line of `node`'s /metrics that starts with `name` (a metric without labels), or "".
inline std::string metric_line(const ServeProcess& node, const std::string& name) {
    auto reply = fetch(node.url() + "/metrics");
    for (auto at = reply.body.find(name); at != std::string::npos; at = reply.body.find(name, at + 1)) {
        if (at == 0 || reply.body[at - 1] == '\n')
            return reply.body.substr(at, reply.body.find('\n', at) - at);
    }
    return {};
}

// Waits until `node`'s metric line reads `line` ("name value"); false when it does not by `until`.
inline bool wait_metric(const ServeProcess& node, const std::string& line, Clock::time_point until) {
    const auto name = line.substr(0, line.find(' '));
    while (metric_line(node, name) != line) {
        if (Clock::now() >= until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

// Creates a template named `name` through `node`; its id, or "" when the node refused.
inline std::string create_template(const ServeProcess& node, const std::string& key,
                                   const std::string& name) {
    auto body = R"({"name": ")" + name + R"(", "spec": )" + small_spec() + "}";
    auto reply = fetch(node.url() + "/api/v1/templates", authorized(key, "POST", body));
    if (reply.status != 201) return {};
    return std::string(boost::json::parse(reply.body).at("id").as_string());
}

// The name `node` serves for template `id` ("" when it does not answer 200), and whether it came from
// the node's response cache.
struct TemplateRead {
    std::string name;
    bool cached = false;
};

inline TemplateRead read_template(const ServeProcess& node, const std::string& key, const std::string& id) {
    auto reply = fetch(node.url() + "/api/v1/templates/" + id, authorized(key));
    if (reply.status != 200) return {};
    auto body = boost::json::parse(reply.body).as_object();
    return {std::string(body.at("name").as_string()), reply.header("x-cache") == "HIT"};
}

// Renames template `id` through `writer`, then reads it through `reader` until the new name shows. The
// seconds that took from the write's answer, or -1 when the write failed, when `reader` still served the
// old name `patience` after it, or when a read after the first fresh one was stale again.
inline double rename_and_wait_across(const ServeProcess& writer, const ServeProcess& reader,
                                     const std::string& key, const std::string& id, const std::string& name,
                                     Clock::duration patience) {
    auto body = R"({"name": ")" + name + R"(", "spec": )" + small_spec() + "}";
    if (fetch(writer.url() + "/api/v1/templates/" + id, authorized(key, "PUT", body)).status != 200)
        return -1;
    const auto written = Clock::now();
    while (read_template(reader, key, id).name != name) {
        if (Clock::now() - written > patience) return -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    const double took = std::chrono::duration<double>(Clock::now() - written).count();
    for (int i = 0; i < 5; ++i) {
        if (read_template(reader, key, id).name != name) return -1;
    }
    return took;
}

class Nodes {
  public:
    // `flags` go to every process after --db, --cache and --media.
    Nodes(std::string db, std::string cache, std::vector<std::string> flags = {})
        : db_(std::move(db)), cache_(std::move(cache)), media_(dir_.path() / "media") {
        std::filesystem::create_directories(media_);
        flags_ = {"--db", db_, "--media", media_.string()};
        flags_.insert(flags_.end(), flags.begin(), flags.end());
    }

    // A key of tenant `t` from `vidgen keys create` (which also migrates the database); "" on failure.
    std::string create_key() {
        auto result = run_vidgen("keys create --tenant t --db " + quote(db_), dir_.path());
        if (result.exit_code != 0) {
            failure_ += result.out;
            return {};
        }
        auto text = result.out;
        while (!text.empty() && text.back() == '\n') text.pop_back();
        return text.substr(text.find_last_of('\n') + 1);
    }

    // Starts `vidgen COMMAND` (serve or worker) with the common flags and `extra`, and `cache` instead of
    // the common one when given; null, with its log in failure(), when it does not start.
    ServeProcess* start(const std::string& command, const std::vector<std::string>& extra = {},
                        const std::string& cache = {}) {
        auto flags = flags_;
        flags.insert(flags.end(), {"--cache", cache.empty() ? cache_ : cache});
        flags.insert(flags.end(), extra.begin(), extra.end());
        auto data = dir_.path() / (command + "-" + std::to_string(processes_.size()));
        processes_.push_back(std::make_unique<ServeProcess>(VIDGEN_BINARY, data, flags, command));
        if (processes_.back()->start()) return processes_.back().get();
        failure_ += processes_.back()->log() + "\n";
        return nullptr;
    }

    // True when no process has exited since it started.
    bool all_alive() {
        bool alive = true;
        for (auto& process : processes_) {
            if (!process->alive()) {
                failure_ += "exited by itself:\n" + process->log() + "\n";
                alive = false;
            }
        }
        return alive;
    }

    // SIGTERM to every process, workers first; false (with the logs in failure()) unless each exits 0.
    bool stop_all() {
        bool clean = true;
        for (auto it = processes_.rbegin(); it != processes_.rend(); ++it) {
            if ((*it)->stop(SIGTERM) != 0) {
                failure_ += (*it)->log() + "\n";
                clean = false;
            }
        }
        return clean;
    }

    // Every process's log, for a failure message.
    std::string logs() const {
        std::string text;
        for (const auto& process : processes_) text += process->log() + "\n";
        return text;
    }
    const std::filesystem::path& media() const { return media_; }
    const std::string& failure() const { return failure_; }

  private:
    ScratchDir dir_ = *ScratchDir::create("nodes");
    std::string db_;
    std::string cache_;
    std::filesystem::path media_;
    std::vector<std::string> flags_;
    std::vector<std::unique_ptr<ServeProcess>> processes_;
    std::string failure_;
};

}  // namespace vidgen::testing
