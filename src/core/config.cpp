#include "core/config.hpp"

#include <fmt/format.h>
#include <boost/json/parse.hpp>

#include <algorithm>

#include "core/detail/config_values.hpp"
#include "core/json_text.hpp"

namespace vidgen {
namespace {

// The effective values and their provenance while the layers are applied.
struct Layered {
    Settings& settings;
    std::vector<std::string>& sources;

    // `key=value (where): problem` on failure, e.g. "COMPRESSION_LEVEL=12 (env): must be 1..11".
    Result<void> set(std::size_t index, std::string_view key, std::string_view shown, std::string_view text,
                     std::string_view where, std::string source) {
        const SettingInfo& info = config_settings()[index];
        if (auto problem = detail::set_setting(info, text, settings)) {
            std::string value = info.type == SettingType::url      ? mask_url_secrets(shown)
                                : info.type == SettingType::secret ? std::string("***")
                                                                   : std::string(shown);
            return fail(Code::invalid_argument, fmt::format("{}={} ({}): {}", key, value, where, *problem));
        }
        sources[index] = std::move(source);
        return {};
    }
};

std::optional<std::size_t> find_setting(std::string_view SettingInfo::*spelling, std::string_view key) {
    auto settings = config_settings();
    for (std::size_t i = 0; i < settings.size(); ++i) {
        if (!(settings[i].*spelling).empty() && settings[i].*spelling == key) return i;
    }
    return std::nullopt;
}

std::string unknown_message(std::string_view SettingInfo::*spelling, std::string_view key) {
    std::vector<std::string_view> names;
    for (const SettingInfo& info : config_settings()) {
        if (!(info.*spelling).empty()) names.push_back(info.*spelling);
    }
    auto suggestion = detail::closest_name(key, names);
    if (!suggestion) return "";
    return fmt::format("; did you mean \"{}\"?", *suggestion);
}

// The JSON value as setting text: a bare string, a number or true/false; nullopt for the wrong JSON type.
std::optional<std::string> file_value_text(const SettingInfo& info, const boost::json::value& value) {
    switch (info.type) {
        case SettingType::integer:
            if (value.is_int64()) return std::to_string(value.get_int64());
            return std::nullopt;
        case SettingType::boolean:
            if (value.is_bool()) return value.get_bool() ? "true" : "false";
            return std::nullopt;
        case SettingType::duration:
            if (value.is_int64()) return std::to_string(value.get_int64());
            break;
        case SettingType::string:
        case SettingType::url:
        case SettingType::address:
        case SettingType::secret:
            break;
    }
    if (value.is_string()) return std::string(value.get_string());
    return std::nullopt;
}

std::string_view json_type_wanted(SettingType type) {
    switch (type) {
        case SettingType::integer:
            return "must be an integer";
        case SettingType::boolean:
            return "must be true or false";
        case SettingType::duration:
            return "must be a duration string such as \"30s\" or a number of seconds";
        case SettingType::string:
        case SettingType::url:
        case SettingType::address:
        case SettingType::secret:
            break;
    }
    return "must be a string";
}

Result<void> apply_file(Layered& layers, const ConfigFile& file) {
    std::string where = fmt::format("file {}", file.path);
    boost::system::error_code ec;
    boost::json::value root = boost::json::parse(file.text, ec);
    if (ec) return fail(Code::invalid_argument, fmt::format("{}: not valid JSON: {}", where, ec.message()));
    if (!root.is_object()) return fail(Code::invalid_argument, where + ": must be a JSON object of settings");
    for (const auto& [key, value] : root.get_object()) {
        auto index = find_setting(&SettingInfo::name, key);
        if (!index) {
            return fail(Code::invalid_argument,
                        fmt::format("{}: unknown setting \"{}\"{}", where, std::string_view(key),
                                    unknown_message(&SettingInfo::name, key)));
        }
        const SettingInfo& info = config_settings()[*index];
        std::string shown = json_text(value);
        auto text = file_value_text(info, value);
        if (!text) {
            return fail(Code::invalid_argument,
                        fmt::format("{}={} ({}): {}", info.name, shown, where, json_type_wanted(info.type)));
        }
        if (auto ok = layers.set(*index, info.name, shown, *text, where, where); !ok) return ok;
    }
    return {};
}

Result<void> apply_env(Layered& layers, const Environment& env) {
    auto settings = config_settings();
    for (std::size_t i = 0; i < settings.size(); ++i) {
        if (settings[i].env.empty()) continue;
        auto found = env.find(settings[i].env);
        if (found == env.end() || found->second.empty()) continue;
        std::string source = fmt::format("env {}", settings[i].env);
        auto ok = layers.set(i, settings[i].env, found->second, found->second, "env", std::move(source));
        if (!ok) return ok;
    }
    return {};
}

Result<void> apply_flags(Layered& layers, const FlagValues& flags) {
    for (const auto& [flag, value] : flags) {
        if (flag == kConfigFileFlag) continue;
        auto index = find_setting(&SettingInfo::flag, flag);
        if (!index) {
            return fail(Code::invalid_argument,
                        fmt::format("unknown flag {}{}", flag, unknown_message(&SettingInfo::flag, flag)));
        }
        bool bare = value.empty() && config_settings()[*index].type == SettingType::boolean;
        std::string_view text = bare ? std::string_view("true") : std::string_view(value);
        auto ok = layers.set(*index, flag, value, text, "flag", fmt::format("flag {}", flag));
        if (!ok) return ok;
    }
    return {};
}

// Settings that constrain each other.
Result<void> check_pool(const Config& config) {
    if (config->db_min_connections <= config->db_max_connections) return {};
    return fail(Code::invalid_argument,
                fmt::format("db_min_connections={} ({}) must not exceed db_max_connections={} ({})",
                            config->db_min_connections, config.source("db_min_connections"),
                            config->db_max_connections, config.source("db_max_connections")));
}

}  // namespace

std::optional<std::string> config_file_path(const FlagValues& flags, const Environment& env) {
    auto flag = std::ranges::find(flags.rbegin(), flags.rend(), kConfigFileFlag,
                                  [](const auto& pair) { return std::string_view(pair.first); });
    if (flag != flags.rend() && !flag->second.empty()) return flag->second;
    auto found = env.find(kConfigFileEnv);
    if (found != env.end() && !found->second.empty()) return found->second;
    return std::nullopt;
}

Config::Config() : sources_(config_settings().size(), "default") {
    for (const SettingInfo& info : config_settings())
        detail::set_setting(info, info.default_value, settings_);
}

Result<Config> Config::load(const ConfigSources& sources) {
    Config config;
    Layered layers{config.settings_, config.sources_};
    if (sources.file) {
        if (auto ok = apply_file(layers, *sources.file); !ok) return std::unexpected(ok.error());
    }
    if (auto ok = apply_env(layers, sources.env); !ok) return std::unexpected(ok.error());
    if (auto ok = apply_flags(layers, sources.flags); !ok) return std::unexpected(ok.error());
    if (auto ok = check_pool(config); !ok) return std::unexpected(ok.error());
    return config;
}

std::string_view Config::source(std::string_view name) const {
    auto index = find_setting(&SettingInfo::name, name);
    return index ? std::string_view(sources_[*index]) : std::string_view();
}

std::vector<ConfigLine> Config::lines() const {
    std::vector<ConfigLine> out;
    auto settings = config_settings();
    for (std::size_t i = 0; i < settings.size(); ++i) {
        out.push_back(
            {std::string(settings[i].name), detail::show_setting(settings[i], settings_), sources_[i]});
    }
    return out;
}

std::string Config::print() const {
    std::vector<ConfigLine> rows = lines();
    rows.insert(rows.begin(), ConfigLine{"SETTING", "VALUE", "SOURCE"});
    std::size_t name_width = 0;
    std::size_t value_width = 0;
    for (const ConfigLine& row : rows) {
        name_width = std::max(name_width, row.name.size());
        value_width = std::max(value_width, row.value.size());
    }
    std::string out;
    for (const ConfigLine& row : rows) {
        out += fmt::format("{:<{}}  {:<{}}  {}\n", row.name, name_width, row.value, value_width, row.source);
    }
    return out;
}

}  // namespace vidgen
