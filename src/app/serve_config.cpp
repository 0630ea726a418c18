#include "app/serve_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

extern char** environ;

namespace vidgen::app {
namespace {

Environment process_environment() {
    Environment env;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        std::string_view text(*entry);
        auto equals = text.find('=');
        if (equals != std::string_view::npos) env.emplace(text.substr(0, equals), text.substr(equals + 1));
    }
    return env;
}

Result<std::optional<ConfigFile>> read_config_file(const FlagValues& flags, const Environment& env) {
    auto path = config_file_path(flags, env);
    if (!path) return std::optional<ConfigFile>{};
    std::ifstream file(*path);
    if (!file) return fail(Code::not_found, fmt::format("config file {}: cannot be read", *path));
    std::ostringstream text;
    text << file.rdbuf();
    return std::optional<ConfigFile>{ConfigFile{*path, text.str()}};
}

}  // namespace

void SettingFlags::add_to(CLI::App* command, std::initializer_list<std::string_view> only) {
    auto given = given_;
    auto remember = [given](std::string flag) {
        return [given, flag](const std::string& value) { given->emplace_back(flag, value); };
    };
    command->add_option_function<std::string>(std::string(kConfigFileFlag),
                                              remember(std::string(kConfigFileFlag)),
                                              "JSON config file (also VIDGEN_CONFIG)");
    for (const auto& setting : config_settings()) {
        if (setting.flag.empty()) continue;
        if (only.size() > 0 && std::ranges::find(only, setting.name) == only.end()) continue;
        auto help = fmt::format("{} (env {}, default {})", setting.description, setting.env,
                                setting.default_value.empty() ? setting.empty_word : setting.default_value);
        auto* option = command->add_option_function<std::string>(std::string(setting.flag),
                                                                 remember(std::string(setting.flag)), help);
        if (setting.type == SettingType::boolean) option->expected(0, 1)->default_str("true");
    }
}

void SettingFlags::add_alias(CLI::App* command, const std::string& alias, const std::string& flag) {
    auto given = given_;
    command->add_option_function<std::string>(
        alias, [given, flag](const std::string& value) { given->emplace_back(flag, value); },
        "Same as " + flag);
}

Result<Config> SettingFlags::load() const {
    ConfigSources sources;
    sources.env = process_environment();
    sources.flags = *given_;
    auto file = read_config_file(sources.flags, sources.env);
    if (!file) return std::unexpected(file.error());
    sources.file = std::move(*file);
    return Config::load(sources);
}

std::string database_url(const Settings& settings) {
    if (!settings.database_url.empty()) return settings.database_url;
    return "sqlite://" +
           std::filesystem::absolute(std::filesystem::path(settings.data_dir) / "vidgen.db").string();
}

Result<std::unique_ptr<store::Store>> open_records(const Settings& settings, MetricsRegistry* metrics,
                                                   RecordCache* records) {
    std::error_code error;
    std::filesystem::create_directories(settings.data_dir, error);
    if (error) {
        return fail(Code::io,
                    fmt::format("cannot create data dir {}: {}", settings.data_dir, error.message()));
    }
    store::StoreOptions options;
    options.min_connections = static_cast<int>(settings.db_min_connections);
    options.max_connections = static_cast<int>(settings.db_max_connections);
    options.idle_timeout = settings.db_idle_timeout;
    options.metrics = metrics;
    options.record_cache = records;
    return store::open_store(database_url(settings), options);
}

}  // namespace vidgen::app
