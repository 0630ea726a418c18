// Reading a spec file and its data rows for the CLI, with errors printed the same way by every command.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "app/commands.hpp"
#include "app/data_rows.hpp"
#include "core/error.hpp"
#include "core/scratch_dir.hpp"
#include "render/render.hpp"
#include "spec/model.hpp"

namespace vidgen::app {

struct LoadedSpec {
    std::string text;
    std::filesystem::path base_dir;         // the spec's folder: relative sources resolve against it
    std::vector<DataRow> rows;              // at least one (empty data when there is no --data)
    std::shared_ptr<ScratchDir> downloads;  // https:// sources, removed when the command ends
};

// Reads the spec and the data file; on failure prints the problem and returns the exit code.
std::expected<LoadedSpec, int> load_spec_files(const SpecArgs& args);

// Parses the spec with one row's data; on failure prints every problem (prefixed by `label`) and returns
// the exit code.
std::expected<spec::Spec, int> parse_row(const LoadedSpec& loaded, std::size_t row, const std::string& label);

// Options for planning and rendering a spec from the CLI.
render::RenderOptions render_options(const LoadedSpec& loaded, int threads);

// Prints problems or warnings to stderr as "label: error: /pointer: message".
void print_problems(const std::string& label, std::string_view kind, const std::vector<Error>& errors);

// The exit code for a failure at plan or render time.
int exit_code_for(const Error& error);

}  // namespace vidgen::app
