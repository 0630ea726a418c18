// vidgen's command line: render, validate, plan, probe, serve, worker, keys, migrate. Wires the modules; owns
// no logic of its own.
#include <fmt/format.h>
#include <malloc.h>
#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "app/commands.hpp"
#include "app/serve_config.hpp"
#include "core/log.hpp"
#include "media/image.hpp"

namespace {

std::atomic<bool> g_cancel{false};

extern "C" void on_signal(int) {
    if (g_cancel.exchange(true)) std::_Exit(vidgen::app::kInterrupted);  // a second signal exits at once
}

void add_spec_args(CLI::App* cmd, vidgen::app::SpecArgs& args) {
    cmd->add_option("spec", args.spec_path, "The spec (JSON file)")->required();
    cmd->add_option("--data", args.data_path,
                    "Merge data: a JSON object, or rows as a JSON array, JSON Lines (.jsonl) or CSV (.csv)");
}

// The platform's commands: serve, keys and migrate share the settings of core/config.
struct PlatformArgs {
    vidgen::app::SettingFlags serve_flags;
    vidgen::app::SettingFlags worker_flags;
    vidgen::app::SettingFlags keys_flags;
    vidgen::app::SettingFlags migrate_flags;
    bool print_config = false;
    vidgen::app::KeysArgs keys;
};

void add_keys_commands(CLI::App& app, PlatformArgs& args) {
    auto* keys = app.add_subcommand("keys", "Create, list or revoke API keys");
    keys->require_subcommand(1);
    auto* create = keys->add_subcommand("create", "Print a new API key for a tenant (created when new)");
    create->add_option("--tenant", args.keys.tenant, "Tenant name")->required();
    create->add_flag("--admin", args.keys.admin, "The key may use /admin endpoints");
    create->add_option("--label", args.keys.label, "A note shown by `keys list`");
    auto* list = keys->add_subcommand("list", "List keys (never the keys themselves)");
    list->add_option("--tenant", args.keys.tenant, "Only this tenant's keys");
    auto* revoke = keys->add_subcommand("revoke", "Revoke a key by its id");
    revoke->add_option("id", args.keys.key_id, "Key id, from `keys list`")->required();
    revoke->add_option("--tenant", args.keys.tenant, "The key's tenant")->required();
    for (auto* command : {create, list, revoke}) {
        args.keys_flags.add_to(command, {"data_dir", "database_url"});
        command->final_callback([&args, command] { args.keys.action = command->get_name(); });
    }
}

int run_platform_command(CLI::App& app, PlatformArgs& args) {
    using namespace vidgen::app;
    auto& flags = app.got_subcommand("serve")    ? args.serve_flags
                  : app.got_subcommand("worker") ? args.worker_flags
                  : app.got_subcommand("keys")   ? args.keys_flags
                                                 : args.migrate_flags;
    auto config = flags.load();
    if (!config) {
        fmt::print(stderr, "error: {}\n", config.error().to_string());
        return kUsage;
    }
    if (app.got_subcommand("keys")) return run_keys(args.keys, config->settings());
    if (app.got_subcommand("migrate")) return run_migrate(config->settings());
    if (args.print_config) {
        fmt::print("{}", config->print());
        return kOk;
    }
    vidgen::init_logging(std::getenv("VIDGEN_LOG") ? std::getenv("VIDGEN_LOG") : "info");
    if (app.got_subcommand("worker")) return run_worker(*config, g_cancel);
    return run_serve(*config, g_cancel);
}

// A CLI render is one process for one render: its threads share two malloc arenas instead of one arena
// each (frames are allocated on one thread and freed on another). S2 at 1080p, three A/B pairs
// (MALLOC_ARENA_MAX=2): peak RSS 359-361 -> 351-355 MiB at the same CPU time.
void limit_render_memory() {
    mallopt(M_ARENA_MAX, 2);
}

int dispatch(CLI::App& app, vidgen::app::RenderArgs& render, vidgen::app::SpecArgs& inspect,
             const std::string& probe_path, PlatformArgs& platform) {
    using namespace vidgen::app;
    for (const char* name : {"serve", "worker", "keys", "migrate"}) {
        if (app.got_subcommand(name)) return run_platform_command(app, platform);
    }
    if (app.got_subcommand("render")) {
        limit_render_memory();
        return run_render(render, g_cancel);
    }
    if (app.got_subcommand("validate")) return run_validate(inspect);
    if (app.got_subcommand("plan")) return run_plan(inspect);
    if (app.got_subcommand("probe")) return run_probe(probe_path);
    return kUsage;
}

int run(int argc, char** argv) {
    using namespace vidgen::app;
    CLI::App app{"vidgen: a JSON spec in, finished video out"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "vidgen 0.1.0");
    app.footer(
        "Exit codes: 0 done, 1 rendering failed, 2 bad command line or unreadable file, 3 invalid spec,\n"
        "4 a source could not be found or opened, 130 interrupted. More in docs/cli.md and docs/spec.md.");

    RenderArgs render;
    auto* render_cmd = app.add_subcommand("render", "Render a spec to MP4, WebM, GIF or PNG");
    add_spec_args(render_cmd, render.spec);
    render_cmd->add_option(
        "-o,--output", render.out,
        "Output file; its extension picks the format. With data rows use {row} or {field}");
    render_cmd->add_option("--frame", render.frame, "Render only the frame at SECONDS to an image")
        ->check(CLI::NonNegativeNumber);
    render_cmd->add_option("--threads", render.threads, "Threads for compositing (0 = all cores)")
        ->check(CLI::Range(0, 256));
    render_cmd->add_flag("-q,--quiet", render.quiet, "No progress or warnings");

    SpecArgs inspect;
    auto* validate_cmd =
        app.add_subcommand("validate", "Check a spec: errors and warnings, nothing rendered");
    add_spec_args(validate_cmd, inspect);
    validate_cmd->add_flag("--json", inspect.json, "Print the report as JSON");
    auto* plan_cmd = app.add_subcommand("plan", "Show the resolved timeline as JSON");
    add_spec_args(plan_cmd, inspect);

    std::string probe_path;
    auto* probe_cmd = app.add_subcommand("probe", "Describe a media file as JSON");
    probe_cmd->add_option("file", probe_path, "The media file")->required();

    PlatformArgs platform;
    auto* serve_cmd = app.add_subcommand("serve", "Run the platform: HTTP API, job queue and render workers");
    platform.serve_flags.add_to(serve_cmd);
    serve_cmd->add_flag("--print-config", platform.print_config,
                        "Show the effective configuration and where each value came from, then exit");
    auto* worker_cmd =
        app.add_subcommand("worker", "Render jobs from a shared queue (PostgreSQL) for API nodes");
    platform.worker_flags.add_to(worker_cmd);
    platform.worker_flags.add_alias(worker_cmd, "--concurrency", "--workers");
    worker_cmd->add_flag("--print-config", platform.print_config,
                         "Show the effective configuration, then exit");
    add_keys_commands(app, platform);
    auto* migrate_cmd = app.add_subcommand("migrate", "Apply the records database's migrations and exit");
    platform.migrate_flags.add_to(migrate_cmd, {"data_dir", "database_url"});

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? kOk : kUsage;
    }
    vidgen::init_logging(std::getenv("VIDGEN_LOG") ? std::getenv("VIDGEN_LOG") : "warn");
    if (auto ok = vidgen::media::init_images(); !ok) {
        fmt::print(stderr, "error: {}\n", ok.error().to_string());
        return kRenderFailed;
    }
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    // A client that hangs up mid-response is an error on that connection, not the end of the server.
    std::signal(SIGPIPE, SIG_IGN);
    return dispatch(app, render, inspect, probe_path, platform);
}

}  // namespace

int main(int argc, char** argv) {
    // Frame-sized buffers (megabytes) always come from mmap and go back to the system when freed. glibc
    // would otherwise raise this threshold after the first such free and keep later ones in its heap:
    // about 50 MB more resident at 1080p (docs/BENCHMARKS.md).
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "internal error: %s\n", e.what());
    } catch (...) {
        std::fprintf(stderr, "internal error\n");
    }
    return vidgen::app::kRenderFailed;
}
