// `vidgen render`: one output per data row, or a single frame with --frame.
#include <fmt/format.h>
#include <sys/prctl.h>

#include <filesystem>

#include "app/commands.hpp"
#include "app/progress.hpp"
#include "app/spec_loader.hpp"
#include "render/batch.hpp"

namespace vidgen::app {
namespace {

const char* extension_of(spec::Format format) {
    switch (format) {
        case spec::Format::mp4:
            return ".mp4";
        case spec::Format::webm:
            return ".webm";
        case spec::Format::gif:
            return ".gif";
        case spec::Format::png:
            return ".png";
    }
    return ".mp4";
}

// An output name's extension picks the format when it names one (-o clip.gif renders a GIF).
void apply_extension(spec::Spec& spec, const std::filesystem::path& out) {
    auto ext = out.extension().string();
    if (ext == ".mp4") spec.output.format = spec::Format::mp4;
    if (ext == ".webm") spec.output.format = spec::Format::webm;
    if (ext == ".gif") spec.output.format = spec::Format::gif;
    if (ext == ".png") spec.output.format = spec::Format::png;
}

std::expected<std::string, int> output_for_row(const RenderArgs& args, const LoadedSpec& loaded,
                                               std::size_t row, const spec::Spec& spec) {
    std::string pattern = args.out;
    if (pattern.empty()) {
        auto stem = std::filesystem::path(args.spec.spec_path).stem().string();
        if (args.frame) return stem + ".png";
        pattern = stem + (loaded.rows.size() > 1 ? "-{row}" : "") + extension_of(spec.output.format);
    }
    if (loaded.rows.size() > 1 && pattern.find('{') == std::string::npos) {
        fmt::print(stderr, "error: with {} data rows, -o needs {{row}} or a {{field}} in the name\n",
                   loaded.rows.size());
        return std::unexpected(kUsage);
    }
    auto name = output_name(pattern, loaded.rows[row], row, loaded.rows.size());
    if (!name) {
        fmt::print(stderr, "error: {}\n", name.error().to_string());
        return std::unexpected(kUsage);
    }
    return *name;
}

struct PlannedRow {
    render::PlanHandle plan;
    std::string out;
    std::string label;
};

// From 1080 lines on, x264's frames are most of a render's memory: they stay on normal pages. As
// transparent huge pages (x264 asks for them) they grow with the render's length as khugepaged collapses
// them: a 120 s 1080p slideshow 363 -> 349 MiB; S2 336-337 -> 327 MiB at the same CPU time, system time
// 0.57 -> 0.25 s (no compaction); the same bytes. Smaller outputs keep them: S4's 720p rows were 5 %
// slower on normal pages (5.11 s against 4.84 s, three alternating runs) for 4 MiB less.
void keep_large_frames_off_huge_pages(const spec::Spec& spec) {
    if (spec.output.height >= 1080) prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
}

// Parses and plans one row; prints its problems and warnings. The error is the exit code.
std::expected<PlannedRow, int> plan_row(const RenderArgs& args, const LoadedSpec& loaded, std::size_t row,
                                        const render::RenderOptions& options) {
    std::string label = loaded.rows.size() > 1 ? fmt::format("row {}", row + 1) : args.spec.spec_path;
    auto spec = parse_row(loaded, row, label);
    if (!spec) return std::unexpected(spec.error());
    if (!args.frame) keep_large_frames_off_huge_pages(*spec);
    auto out = output_for_row(args, loaded, row, *spec);
    if (!out) return std::unexpected(out.error());
    if (!args.frame) apply_extension(*spec, *out);
    auto plan = render::plan(*spec, options);
    if (!plan) {
        print_problems(label, "error", {plan.error()});
        return std::unexpected(exit_code_for(plan.error()));
    }
    if (!args.quiet) print_problems(label, "warning", plan->warnings);
    return PlannedRow{std::move(*plan), std::move(*out), std::move(label)};
}

int render_planned(const RenderArgs& args, const PlannedRow& row, render::RenderOptions options) {
    if (args.frame) {
        auto done = render::render_frame(row.plan, *args.frame, row.out);
        if (!done) {
            print_problems(row.label, "error", {done.error()});
            return exit_code_for(done.error());
        }
        if (!args.quiet) fmt::print(stderr, "{}: wrote {}\n", row.label, row.out);
        return kOk;
    }
    ProgressReporter progress(row.label, args.quiet);
    options.on_progress = [&progress](const render::Progress& p) { progress.update(p); };
    auto stats = render::render(row.plan, row.out, options);
    if (!stats) {
        progress.abandon();
        print_problems(row.label, "error", {stats.error()});
        return exit_code_for(stats.error());
    }
    progress.finish(*stats, row.out);
    return kOk;
}

// Many rows: planned a group at a time and rendered by one BatchRenderer, which encodes what the rows
// share once.
int render_batched(const RenderArgs& args, const LoadedSpec& loaded, render::RenderOptions options) {
    constexpr std::size_t kGroup = 16;
    const std::size_t rows = loaded.rows.size();
    ProgressReporter progress("batch", args.quiet);
    options.on_progress = [&progress](const render::Progress& p) { progress.update(p); };
    render::BatchRenderer batch(options);
    int worst = kOk;
    for (std::size_t first = 0; first < rows; first += kGroup) {
        options.shared_images = render::make_image_cache();  // the group's rows decode each image once
        std::vector<render::BatchRow> group;
        for (std::size_t row = first; row < std::min(rows, first + kGroup); ++row) {
            auto planned = plan_row(args, loaded, row, options);
            if (!planned) worst = planned.error();
            if (planned) group.push_back({std::move(planned->plan), planned->out});
        }
        progress.set_label(fmt::format("rows {}-{} of {}", first + 1, std::min(rows, first + kGroup), rows));
        auto stats = batch.render(group);
        if (!stats) {
            progress.abandon();
            print_problems(fmt::format("rows {}-{}", first + 1, std::min(rows, first + kGroup)), "error",
                           {stats.error()});
            if (stats.error().code == Code::canceled) return kInterrupted;
            worst = exit_code_for(stats.error());
            continue;
        }
        progress.finish_batch(*stats);
    }
    return worst;
}

}  // namespace

int run_render(const RenderArgs& args, const std::atomic<bool>& cancel) {
    auto loaded = load_spec_files(args.spec);
    if (!loaded) return loaded.error();
    auto options = render_options(*loaded, args.threads);
    options.cancel = &cancel;
    if (loaded->rows.size() > 1 && !args.frame) return render_batched(args, *loaded, options);
    int worst = kOk;
    for (std::size_t row = 0; row < loaded->rows.size(); ++row) {
        auto planned = plan_row(args, *loaded, row, options);
        int code = planned ? render_planned(args, *planned, options) : planned.error();
        if (code == kInterrupted) return code;
        if (code != kOk) worst = code;
    }
    return worst;
}

}  // namespace vidgen::app
