// `vidgen serve` (the platform on one machine) and `vidgen worker` (render workers for a cluster), each
// until SIGINT/SIGTERM.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string_view>
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

int print_error(const Error& error, int exit_code) {
    fmt::print(stderr, "error: {}\n", error.to_string());
    return exit_code;
}

// Keeps the started platform running until `stop`, then stops it as SIGTERM promises.
int run_until_stopped(Platform& platform, const std::atomic<bool>& stop, std::string_view stopping) {
    std::fflush(stdout);
    while (!stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    fmt::print(stderr, "{}\n", stopping);
    platform.stop(std::chrono::seconds(10));
    return kOk;
}

}  // namespace

int run_serve(const Config& config, const std::atomic<bool>& stop) {
    auto platform = Platform::open(config.settings());
    if (!platform) return print_error(platform.error(), kUsage);
    auto first_key = (*platform)->ensure_first_key();
    if (!first_key) return print_error(first_key.error(), kRenderFailed);
    if (auto started = (*platform)->start(Platform::Role::serve); !started)
        return print_error(started.error(), kUsage);
    fmt::print("vidgen serving at {}  (database {}, media {}/media)\n", (*platform)->url(),
               mask_url_secrets(database_url(config.settings())), config->data_dir);
    if (!first_key->empty()) announce_first_key(config.settings(), *first_key);
    return run_until_stopped(**platform, stop,
                             "vidgen: stopping (finishing requests, handing running jobs back)");
}

int run_worker(const Config& config, const std::atomic<bool>& stop) {
    Settings settings = config.settings();
    if (config.source("listen") == "default") settings.listen = std::string(kWorkerListen);
    auto platform = Platform::open(settings);
    if (!platform) return print_error(platform.error(), kUsage);
    if (auto started = (*platform)->start(Platform::Role::worker); !started) {
        return print_error(started.error(), kUsage);
    }
    fmt::print("vidgen worker rendering jobs from {}; health and metrics at {}\n",
               mask_url_secrets(database_url(config.settings())), (*platform)->url());
    return run_until_stopped(**platform, stop, "vidgen worker: stopping (handing running jobs back)");
}

}  // namespace vidgen::app
