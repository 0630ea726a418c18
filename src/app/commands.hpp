// The CLI's subcommands. Each returns the process exit code (see ExitCode) and prints its own errors.
// Called from main only.
#pragma once

#include <atomic>
#include <optional>
#include <string>

#include "core/config.hpp"

namespace vidgen::app {

// Documented in docs/cli.md; scripts depend on these numbers.
enum ExitCode : int {
    kOk = 0,
    kRenderFailed = 1,   // decoding, encoding or writing failed
    kUsage = 2,          // bad command line, unreadable spec or data file
    kInvalidSpec = 3,    // the spec (or a data row) failed validation
    kSourceFailed = 4,   // a source, font or asset could not be found, fetched or opened
    kInterrupted = 130,  // SIGINT/SIGTERM
};

struct SpecArgs {
    std::string spec_path;
    std::string data_path;
    bool json = false;  // machine-readable output (validate, plan)
};

struct RenderArgs {
    SpecArgs spec;
    std::string out;  // default: the spec's name with the format's extension
    std::optional<double> frame;
    int threads = 0;
    bool quiet = false;
};

// `vidgen keys create|list|revoke`.
struct KeysArgs {
    std::string action;  // create, list, revoke
    std::string tenant;
    std::string label;
    std::string key_id;  // revoke
    bool admin = false;
};

int run_render(const RenderArgs& args, const std::atomic<bool>& cancel);
int run_validate(const SpecArgs& args);
int run_plan(const SpecArgs& args);
int run_probe(const std::string& path);
int run_keys(const KeysArgs& args, const Settings& settings);
int run_migrate(const Settings& settings);
// Runs the platform until SIGINT/SIGTERM (`stop` becomes true); a second signal exits at once.
int run_serve(const Config& config, const std::atomic<bool>& stop);
// Renders jobs from the shared queue until SIGINT/SIGTERM, handing running jobs back on the way out.
int run_worker(const Config& config, const std::atomic<bool>& stop);

}  // namespace vidgen::app
