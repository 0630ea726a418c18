// `vidgen validate`, `vidgen plan` and `vidgen probe`: look before rendering.
#include <fmt/format.h>
#include <boost/json.hpp>

#include "app/commands.hpp"
#include "app/spec_loader.hpp"
#include "core/json_text.hpp"
#include "media/image.hpp"
#include "media/probe.hpp"
#include "spec/parse.hpp"

namespace vidgen::app {
namespace {

boost::json::array to_json(const std::vector<Error>& errors) {
    boost::json::array out;
    for (const auto& e : errors) {
        out.push_back({{"pointer", e.pointer}, {"code", code_name(e.code)}, {"message", e.message}});
    }
    return out;
}

// Validates one row: parse, then plan (sources, fonts, text fit). Appends to errors and warnings.
void validate_row(const LoadedSpec& loaded, std::size_t row, std::vector<Error>& errors,
                  std::vector<Error>& warnings) {
    auto parsed = spec::parse(loaded.text, loaded.rows[row]);
    if (!parsed) {
        errors.insert(errors.end(), parsed.error().errors.begin(), parsed.error().errors.end());
        return;
    }
    auto plan = render::plan(*parsed, render_options(loaded, 0));
    if (!plan) {
        errors.push_back(plan.error());
        return;
    }
    warnings.insert(warnings.end(), plan->warnings.begin(), plan->warnings.end());
}

}  // namespace

int run_validate(const SpecArgs& args) {
    auto loaded = load_spec_files(args);
    if (!loaded) return loaded.error();
    bool failed = false;
    boost::json::array report;
    for (std::size_t row = 0; row < loaded->rows.size(); ++row) {
        std::vector<Error> errors, warnings;
        validate_row(*loaded, row, errors, warnings);
        failed = failed || !errors.empty();
        std::string label = loaded->rows.size() > 1 ? fmt::format("row {}", row + 1) : args.spec_path;
        if (args.json) {
            report.push_back({{"row", row + 1},
                              {"valid", errors.empty()},
                              {"errors", to_json(errors)},
                              {"warnings", to_json(warnings)}});
            continue;
        }
        print_problems(label, "error", errors);
        print_problems(label, "warning", warnings);
        if (errors.empty()) fmt::print("{}: valid ({} warnings)\n", label, warnings.size());
    }
    if (args.json) fmt::print("{}\n", json_text(report, 2));
    return failed ? kInvalidSpec : kOk;
}

int run_plan(const SpecArgs& args) {
    auto loaded = load_spec_files(args);
    if (!loaded) return loaded.error();
    auto parsed = parse_row(*loaded, 0, args.spec_path);
    if (!parsed) return parsed.error();
    auto plan = render::plan(*parsed, render_options(*loaded, 0));
    if (!plan) {
        print_problems(args.spec_path, "error", {plan.error()});
        return exit_code_for(plan.error());
    }
    fmt::print("{}\n", render::describe(*plan));
    return kOk;
}

// Still images are not media streams: they go through libvips, the way render opens them.
int probe_still_image(const std::string& path, const Error& media_error) {
    auto image = media::probe_image(path);
    if (!image) {
        print_problems(path, "error", {media_error});
        return exit_code_for(media_error);
    }
    boost::json::object out{{"format", image->format},
                            {"width", image->width},
                            {"height", image->height},
                            {"has_alpha", image->has_alpha},
                            {"size_bytes", std::filesystem::file_size(path)}};
    fmt::print("{}\n", json_text(out));
    return kOk;
}

int run_probe(const std::string& path) {
    auto info = media::probe(path);
    if (!info) return probe_still_image(path, info.error());
    fmt::print("{}\n", media::to_json(*info));
    return kOk;
}

}  // namespace vidgen::app
