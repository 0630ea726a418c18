// Runs the real `vidgen` binary in a temporary folder and captures its exit code and output.
#pragma once

#include <boost/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/scratch_dir.hpp"

namespace vidgen::testing {

struct CommandResult {
    int exit_code = -1;
    std::string out;  // stdout and stderr together
};

inline std::string quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

// Runs `vidgen ARGS` with the working directory `dir`; `env` is prepended as the shell's
// `NAME=value …` assignments (already quoted).
inline CommandResult run_vidgen(const std::string& args, const std::filesystem::path& dir,
                                const std::string& env = {}) {
    std::string command =
        "cd " + quote(dir.string()) + " && " + env + " " + quote(VIDGEN_BINARY) + " " + args + " 2>&1";
    CommandResult result;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return result;
    char buffer[4096];
    while (std::size_t n = fread(buffer, 1, sizeof buffer, pipe)) result.out.append(buffer, n);
    int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

// A fresh folder under the system temp dir, removed when the test ends.
class TempDir {
  public:
    const std::filesystem::path& path() const { return dir_.path(); }
    std::filesystem::path write(const std::string& name, const std::string& text) const {
        std::ofstream(dir_.path() / name) << text;
        return dir_.path() / name;
    }

  private:
    ScratchDir dir_ = *ScratchDir::create("vidgen-cli");
};

// Duration in seconds of a media file, from `vidgen probe`.
inline double probe_duration(const std::filesystem::path& file) {
    auto result = run_vidgen("probe " + quote(file.string()), file.parent_path());
    if (result.exit_code != 0) return -1;
    auto json = boost::json::parse(result.out);
    return json.at("duration").to_number<double>();
}

}  // namespace vidgen::testing
