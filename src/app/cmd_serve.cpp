// `vidgen serve` (the platform on one machine) and `vidgen worker` (render workers for a cluster), each
// until SIGINT/SIGTERM.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "app/commands.hpp"
#include "app/platform.hpp"
#include "app/serve_config.hpp"

namespace vidgen::app {
namespace {

// Where a worker answers /health and /metrics unless told otherwise: beside serve's 8080, on the port
// Prometheus exporters conventionally use.
constexpr std::string_view kWorkerListen = "127.0.0.1:9464";

// Shows the first admin key once and keeps it in the data dir (mode 0600) for `make run` users.
void announce_first_key(const Settings& settings, const std::string& key) {
    auto path = std::filesystem::path(settings.data_dir) / "first-admin-key";
    {
        std::ofstream out(path, std::ios::trunc);
        out << key << '\n';
    }
    std::filesystem::permissions(path,
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    fmt::print("first admin API key (also in {}): {}\n", path.string(), key);
}

}  // namespace

int run_serve(const Config& config, const std::atomic<bool>& stop) {
    auto platform = Platform::open(config.settings());
    if (!platform) {
        fmt::print(stderr, "error: {}\n", platform.error().to_string());
        return kUsage;
    }
    auto first_key = (*platform)->ensure_first_key();
    if (!first_key) {
        fmt::print(stderr, "error: {}\n", first_key.error().to_string());
        return kRenderFailed;
    }
    if (auto started = (*platform)->start(Platform::Role::serve); !started) {
        fmt::print(stderr, "error: {}\n", started.error().to_string());
        return kUsage;
    }
    fmt::print("vidgen serving at {}  (database {}, media {}/media)\n", (*platform)->url(),
               database_url(config.settings()), config->data_dir);
    if (!first_key->empty()) announce_first_key(config.settings(), *first_key);
    std::fflush(stdout);
    while (!stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    fmt::print(stderr, "vidgen: stopping (finishing requests, handing running jobs back)\n");
    (*platform)->stop(std::chrono::seconds(10));
    return kOk;
}

int run_worker(const Config& config, const std::atomic<bool>& stop) {
    Settings settings = config.settings();
    if (config.source("listen") == "default") settings.listen = std::string(kWorkerListen);
    auto platform = Platform::open(settings);
    if (!platform) {
        fmt::print(stderr, "error: {}\n", platform.error().to_string());
        return kUsage;
    }
    if (auto started = (*platform)->start(Platform::Role::worker); !started) {
        fmt::print(stderr, "error: {}\n", started.error().to_string());
        return kUsage;
    }
    fmt::print("vidgen worker rendering jobs from {}; health and metrics at {}\n",
               mask_url_secrets(database_url(config.settings())), (*platform)->url());
    std::fflush(stdout);
    while (!stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    fmt::print(stderr, "vidgen worker: stopping (handing running jobs back)\n");
    (*platform)->stop(std::chrono::seconds(10));
    return kOk;
}

}  // namespace vidgen::app
