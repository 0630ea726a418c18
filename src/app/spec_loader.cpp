#include "app/spec_loader.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "spec/parse.hpp"

namespace vidgen::app {

void print_problems(const std::string& label, std::string_view kind, const std::vector<Error>& errors) {
    for (const auto& e : errors) fmt::print(stderr, "{}: {}: {}\n", label, kind, e.to_string());
}

int exit_code_for(const Error& error) {
    switch (error.code) {
        case Code::invalid_argument:
        case Code::limit_exceeded:
            return kInvalidSpec;
        case Code::not_found:
        case Code::unsupported:
            return kSourceFailed;
        case Code::canceled:
            return kInterrupted;
        default:
            return kRenderFailed;
    }
}

std::expected<LoadedSpec, int> load_spec_files(const SpecArgs& args) {
    std::ifstream in(args.spec_path, std::ios::binary);
    if (!in) {
        fmt::print(stderr, "{}: error: cannot read the spec file\n", args.spec_path);
        return std::unexpected(kUsage);
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    auto downloads = ScratchDir::create("vidgen-fetch");
    if (!downloads) {
        fmt::print(stderr, "error: {}\n", downloads.error().to_string());
        return std::unexpected(kRenderFailed);
    }
    LoadedSpec loaded{buffer.str(),
                      std::filesystem::absolute(args.spec_path).parent_path(),
                      {},
                      std::make_shared<ScratchDir>(std::move(*downloads))};
    if (args.data_path.empty()) {
        loaded.rows.emplace_back();
        return loaded;
    }
    auto rows = load_rows(args.data_path);
    if (!rows) {
        fmt::print(stderr, "error: {}\n", rows.error().to_string());
        return std::unexpected(kUsage);
    }
    if (rows->empty()) {
        fmt::print(stderr, "{}: error: the data file has no rows\n", args.data_path);
        return std::unexpected(kUsage);
    }
    loaded.rows = std::move(*rows);
    return loaded;
}

std::expected<spec::Spec, int> parse_row(const LoadedSpec& loaded, std::size_t row,
                                         const std::string& label) {
    auto parsed = spec::parse(loaded.text, loaded.rows[row]);
    if (parsed) return std::move(*parsed);
    print_problems(label, "error", parsed.error().errors);
    return std::unexpected(kInvalidSpec);
}

render::RenderOptions render_options(const LoadedSpec& loaded, int threads) {
    render::RenderOptions options;
    options.base_dir = loaded.base_dir;
    options.fetch_dir = loaded.downloads->path();
    options.threads = threads;
    return options;
}

}  // namespace vidgen::app
