// `vidgen render`: one output per data row, or a single frame with --frame.
#include <fmt/format.h>

#include <filesystem>

#include "app/commands.hpp"
#include "app/progress.hpp"
#include "app/spec_loader.hpp"

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

int render_row(const RenderArgs& args, const LoadedSpec& loaded, std::size_t row,
               const std::atomic<bool>& cancel) {
    std::string label = loaded.rows.size() > 1 ? fmt::format("row {}", row + 1) : args.spec.spec_path;
    auto spec = parse_row(loaded, row, label);
    if (!spec) return spec.error();
    auto out = output_for_row(args, loaded, row, *spec);
    if (!out) return out.error();
    if (!args.frame) apply_extension(*spec, *out);

    auto options = render_options(loaded, args.threads);
    options.cancel = &cancel;
    auto plan = render::plan(*spec, options);
    if (!plan) {
        print_problems(label, "error", {plan.error()});
        return exit_code_for(plan.error());
    }
    if (!args.quiet) print_problems(label, "warning", plan->warnings);

    if (args.frame) {
        auto done = render::render_frame(*plan, *args.frame, *out);
        if (!done) {
            print_problems(label, "error", {done.error()});
            return exit_code_for(done.error());
        }
        if (!args.quiet) fmt::print(stderr, "{}: wrote {}\n", label, *out);
        return kOk;
    }
    ProgressReporter progress(label, args.quiet);
    options.on_progress = [&progress](const render::Progress& p) { progress.update(p); };
    auto stats = render::render(*plan, *out, options);
    if (!stats) {
        if (!args.quiet) fmt::print(stderr, "\n");
        print_problems(label, "error", {stats.error()});
        return exit_code_for(stats.error());
    }
    progress.finish(*stats, *out);
    return kOk;
}

}  // namespace

int run_render(const RenderArgs& args, const std::atomic<bool>& cancel) {
    auto loaded = load_spec_files(args.spec);
    if (!loaded) return loaded.error();
    int worst = kOk;
    for (std::size_t row = 0; row < loaded->rows.size(); ++row) {
        int code = render_row(args, *loaded, row, cancel);
        if (code == kInterrupted) return code;
        if (code != kOk) worst = code;
    }
    return worst;
}

}  // namespace vidgen::app
