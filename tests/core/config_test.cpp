#include "core/config.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace vidgen {
namespace {

using std::chrono::milliseconds;

ConfigSources with_file(std::string text) {
    return {ConfigFile{"/etc/vidgen.json", std::move(text)}, {}, {}};
}

std::string load_error(const ConfigSources& sources) {
    auto config = Config::load(sources);
    if (config) return "(loaded)";
    EXPECT_EQ(config.error().code, Code::invalid_argument);
    return config.error().message;
}

std::string shown_value(const Config& config, std::string_view name) {
    for (const ConfigLine& line : config.lines()) {
        if (line.name == name) return line.value;
    }
    return "(no such line)";
}

TEST(Config, DefaultsComeFromTheTable) {
    Config config;
    EXPECT_EQ(config->listen, "127.0.0.1:8080");
    EXPECT_EQ(config->data_dir, "data");
    EXPECT_EQ(config->workers, 0);
    EXPECT_EQ(config->database_url, "");
    EXPECT_EQ(config->redis_url, "");
    EXPECT_EQ(config->cache_default_ttl, milliseconds(300'000));
    EXPECT_EQ(config->db_max_connections, 10);
    EXPECT_EQ(config->db_min_connections, 1);
    EXPECT_EQ(config->db_idle_timeout, milliseconds(30'000));
    EXPECT_TRUE(config->metrics_enabled);
    EXPECT_TRUE(config->performance_monitoring);
    EXPECT_EQ(config->compression_threshold, 1024);
    EXPECT_TRUE(config->enable_brotli);
    EXPECT_EQ(config->compression_level, 6);
    EXPECT_EQ(config->rate_limit, 200);
    EXPECT_TRUE(config->webhook_secret.empty());
    EXPECT_FALSE(config->webhook_allow_private);
    for (const SettingInfo& info : config_settings())
        EXPECT_EQ(config.source(info.name), "default") << info.name;
}

TEST(Config, EveryDefaultPassesItsOwnChecks) {
    for (const SettingInfo& info : config_settings()) {
        ConfigSources sources;
        if (info.flag.empty()) {
            sources.env.emplace(std::string(info.env), std::string(info.default_value));
        } else {
            sources.flags.emplace_back(std::string(info.flag), std::string(info.default_value));
        }
        EXPECT_TRUE(Config::load(sources)) << info.name << " default " << info.default_value;
    }
}

TEST(Config, SecretsAreMaskedInPrintAndErrors) {
    ConfigSources sources;
    sources.env.emplace("VIDGEN_WEBHOOK_SECRET", "hunter2");
    auto config = Config::load(sources);
    ASSERT_TRUE(config);
    EXPECT_EQ((*config)->webhook_secret, "hunter2");
    EXPECT_EQ(config->print().find("hunter2"), std::string::npos);
    EXPECT_NE(config->print().find("***"), std::string::npos);
    sources.env["VIDGEN_WEBHOOK_SECRET"] = std::string(5000, 'x');
    auto refused = Config::load(sources);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message.find("xxxx"), std::string::npos) << refused.error().message;
}

TEST(Config, TableNamesAreUnique) {
    std::set<std::string_view> names, envs, flags;
    for (const SettingInfo& info : config_settings()) {
        EXPECT_TRUE(names.insert(info.name).second) << info.name;
        EXPECT_TRUE(envs.insert(info.env).second) << info.env;
        if (info.flag.empty()) continue;  // a secret: no flag, so it never shows in `ps`
        EXPECT_TRUE(flags.insert(info.flag).second) << info.flag;
        EXPECT_TRUE(info.flag.starts_with("--")) << info.flag;
        EXPECT_NE(info.flag, kConfigFileFlag);
    }
}

TEST(Config, LoadWithNoSourcesIsTheDefaults) {
    auto config = Config::load({});
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ((*config)->listen, "127.0.0.1:8080");
    EXPECT_EQ(config->source("listen"), "default");
}

TEST(Config, FileOverridesDefaults) {
    auto config = Config::load(with_file(
        R"({"workers": 3, "database_url": "postgres://db/vidgen", "metrics_enabled": false,
            "cache_default_ttl": "1h", "db_idle_timeout": 45})"));
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ((*config)->workers, 3);
    EXPECT_EQ((*config)->database_url, "postgres://db/vidgen");
    EXPECT_FALSE((*config)->metrics_enabled);
    EXPECT_EQ((*config)->cache_default_ttl, milliseconds(3'600'000));
    EXPECT_EQ((*config)->db_idle_timeout, milliseconds(45'000));
    EXPECT_EQ(config->source("workers"), "file /etc/vidgen.json");
    EXPECT_EQ(config->source("listen"), "default");
}

TEST(Config, EnvironmentOverridesFile) {
    ConfigSources sources = with_file(R"({"workers": 3, "compression_level": 4})");
    sources.env = {{"VIDGEN_WORKERS", "5"}, {"ENABLE_BROTLI", "no"}, {"PATH", "/usr/bin"}};
    auto config = Config::load(sources);
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ((*config)->workers, 5);
    EXPECT_EQ(config->source("workers"), "env VIDGEN_WORKERS");
    EXPECT_FALSE((*config)->enable_brotli);
    EXPECT_EQ(config->source("enable_brotli"), "env ENABLE_BROTLI");
    EXPECT_EQ((*config)->compression_level, 4);
    EXPECT_EQ(config->source("compression_level"), "file /etc/vidgen.json");
}

TEST(Config, FlagsOverrideEnvironment) {
    ConfigSources sources = with_file(R"({"listen": "0.0.0.0:80"})");
    sources.env = {{"VIDGEN_LISTEN", "0.0.0.0:81"}, {"DATABASE_URL", "sqlite://env.db"}};
    sources.flags = {{"--listen", "127.0.0.1:0"}, {"--db", "sqlite://flag.db"}};
    auto config = Config::load(sources);
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ((*config)->listen, "127.0.0.1:0");
    EXPECT_EQ(config->source("listen"), "flag --listen");
    EXPECT_EQ((*config)->database_url, "sqlite://flag.db");
    EXPECT_EQ(config->source("database_url"), "flag --db");
}

TEST(Config, LastRepeatedFlagWinsAndBareBooleanFlagMeansTrue) {
    ConfigSources sources;
    sources.env = {{"METRICS_ENABLED", "false"}};
    sources.flags = {{"--workers", "2"}, {"--metrics", ""}, {"--workers", "7"}, {"--config", "x.json"}};
    auto config = Config::load(sources);
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ((*config)->workers, 7);
    EXPECT_TRUE((*config)->metrics_enabled);
    EXPECT_EQ(config->source("metrics_enabled"), "flag --metrics");
}

TEST(Config, UrlSettingsAcceptTheirWordForNone) {
    ConfigSources sources =
        with_file(R"({"redis_url": "redis://cache:6379", "database_url": "sqlite://x.db"})");
    sources.flags = {{"--cache", "memory"}, {"--db", "sqlite"}};
    auto config = Config::load(sources);
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ((*config)->redis_url, "");
    EXPECT_EQ((*config)->database_url, "");
    EXPECT_EQ(shown_value(*config, "redis_url"), "memory");
    EXPECT_EQ(shown_value(*config, "database_url"), "sqlite");
}

TEST(Config, EmptyEnvironmentValueCountsAsUnset) {
    ConfigSources sources = with_file(R"({"compression_threshold": 2048})");
    sources.env = {{"COMPRESSION_THRESHOLD", ""}};
    auto config = Config::load(sources);
    ASSERT_TRUE(config);
    EXPECT_EQ((*config)->compression_threshold, 2048);
    EXPECT_EQ(config->source("compression_threshold"), "file /etc/vidgen.json");
}

TEST(Config, SourceOfUnknownNameIsEmpty) {
    EXPECT_EQ(Config().source("nope"), "");
}

TEST(Config, ConfigFilePathFromFlagThenEnvironment) {
    EXPECT_EQ(
        config_file_path({{"--config", "a.json"}, {"--config", "b.json"}}, {{"VIDGEN_CONFIG", "c.json"}}),
        "b.json");
    EXPECT_EQ(config_file_path({{"--listen", "x:1"}}, {{"VIDGEN_CONFIG", "c.json"}}), "c.json");
    EXPECT_EQ(config_file_path({}, {}), std::nullopt);
}

struct ErrorCase {
    ConfigSources sources;
    std::string message;
};

ConfigSources env(std::string name, std::string value) {
    return {std::nullopt, {{name, value}}, {}};
}
ConfigSources flag(std::string name, std::string value) {
    return {std::nullopt, {}, {{name, value}}};
}

TEST(Config, ErrorsNameTheSettingValueAndSource) {
    const ErrorCase cases[] = {
        {env("COMPRESSION_LEVEL", "12"), "COMPRESSION_LEVEL=12 (env): must be 1..11"},
        {env("COMPRESSION_LEVEL", "six"), "COMPRESSION_LEVEL=six (env): must be an integer"},
        {env("COMPRESSION_LEVEL", "6x"), "COMPRESSION_LEVEL=6x (env): must be an integer"},
        {env("DB_IDLE_TIMEOUT", "30000"), "DB_IDLE_TIMEOUT=30000 (env): must be 1s..1h"},
        {env("CACHE_DEFAULT_TTL", "soon"),
         "CACHE_DEFAULT_TTL=soon (env): must be a duration such as 250ms, 30s, 5m or 1h"},
        {env("METRICS_ENABLED", "maybe"),
         "METRICS_ENABLED=maybe (env): must be true or false (or 1/0, yes/no, on/off)"},
        {env("DATABASE_URL", "mysql://root:hunter2@db/x"),
         "DATABASE_URL=mysql://root:***@db/x (env): must be sqlite or a URL starting with sqlite://, "
         "postgres:// or "
         "postgresql://"},
        {env("REDIS_URL", "redis://"),
         "REDIS_URL=redis:// (env): must be memory or a URL starting with redis:// or rediss://"},
        {flag("--workers", "-1"), "--workers=-1 (flag): must be 0..256"},
        {flag("--listen", "8080"), "--listen=8080 (flag): must be host:port with a port 0..65535"},
        {flag("--data-dir", ""), "--data-dir= (flag): must not be empty"},
        {flag("--brotli", "yep"), "--brotli=yep (flag): must be true or false (or 1/0, yes/no, on/off)"},
        {flag("--worker", "2"), "unknown flag --worker; did you mean \"--workers\"?"},
        {flag("--colour", "red"), "unknown flag --colour"},
        {with_file(R"({"compression_level": 12})"),
         "compression_level=12 (file /etc/vidgen.json): must be 1..11"},
        {with_file(R"({"databse_url": "sqlite://x.db"})"),
         "file /etc/vidgen.json: unknown setting \"databse_url\"; did you mean \"database_url\"?"},
        {with_file(R"({"DATABASE_URL": "sqlite://x.db"})"),
         "file /etc/vidgen.json: unknown setting \"DATABASE_URL\"; did you mean \"database_url\"?"},
        {with_file(R"({"frobnicate": 1})"), "file /etc/vidgen.json: unknown setting \"frobnicate\""},
        {with_file(R"({"workers": "3"})"), "workers=\"3\" (file /etc/vidgen.json): must be an integer"},
        {with_file(R"({"workers": 2.5})"), "workers=2.5 (file /etc/vidgen.json): must be an integer"},
        {with_file(R"({"enable_brotli": 1})"),
         "enable_brotli=1 (file /etc/vidgen.json): must be true or false"},
        {with_file(R"({"listen": 8080})"), "listen=8080 (file /etc/vidgen.json): must be a string"},
        {with_file(R"({"db_idle_timeout": true})"),
         "db_idle_timeout=true (file /etc/vidgen.json): must be a duration string such as \"30s\" or a "
         "number "
         "of seconds"},
        {with_file(R"([1, 2])"), "file /etc/vidgen.json: must be a JSON object of settings"},
        {env("DB_MIN_CONNECTIONS", "20"),
         "db_min_connections=20 (env DB_MIN_CONNECTIONS) must not exceed db_max_connections=10 (default)"},
    };
    for (const ErrorCase& c : cases) EXPECT_EQ(load_error(c.sources), c.message);
}

TEST(Config, InvalidJsonFileNamesTheFile) {
    std::string message = load_error(with_file("{\"workers\": "));
    EXPECT_TRUE(message.starts_with("file /etc/vidgen.json: not valid JSON: ")) << message;
}

TEST(Config, ListenAcceptsHostsAndBracketedIpv6) {
    for (std::string listen : {"0.0.0.0:0", "localhost:65535", "[::1]:8080", "example.org:80"}) {
        EXPECT_TRUE(Config::load(flag("--listen", listen))) << listen;
    }
    for (std::string listen : {":80", "::1:80", "host:65536", "host:", "host:8o", "a b:80", "[::1]"}) {
        EXPECT_FALSE(Config::load(flag("--listen", listen))) << listen;
    }
}

TEST(ConfigValues, DurationsParse) {
    const std::pair<std::string_view, std::int64_t> cases[] = {
        {"250ms", 250},
        {"30s", 30'000},
        {"5m", 300'000},
        {"2h", 7'200'000},
        {"1d", 86'400'000},
        {"1m30s", 90'000},
        {"1h5m10s20ms", 3'910'020},
        {"45", 45'000},
        {"0", 0},
        {"0ms", 0},
    };
    for (auto [text, millis] : cases) {
        auto parsed = parse_duration(text);
        ASSERT_TRUE(parsed) << text;
        EXPECT_EQ(parsed->count(), millis) << text;
    }
    for (std::string_view bad : {"", "s", "-5s", "5x", "5 s", "1.5s", "30s5", "5S", "m5",
                                 "99999999999999999999ms", "9999999999999999d"}) {
        EXPECT_FALSE(parse_duration(bad)) << bad;
    }
}

TEST(ConfigValues, DurationsFormatInTheLargestExactUnit) {
    const std::pair<std::int64_t, std::string_view> cases[] = {
        {0, "0s"},          {1500, "1500ms"},  {90'000, "90s"},     {300'000, "5m"},
        {5'400'000, "90m"}, {7'200'000, "2h"}, {172'800'000, "2d"},
    };
    for (auto [millis, text] : cases) {
        EXPECT_EQ(format_duration(milliseconds(millis)), text);
        EXPECT_EQ(parse_duration(text)->count(), millis) << text;
    }
}

TEST(ConfigValues, BooleansParse) {
    for (std::string_view yes : {"true", "TRUE", "1", "yes", "Yes", "on"})
        EXPECT_EQ(parse_bool(yes), true) << yes;
    for (std::string_view no : {"false", "False", "0", "no", "NO", "off"})
        EXPECT_EQ(parse_bool(no), false) << no;
    for (std::string_view bad : {"", "2", "y", "truthy", " true"}) EXPECT_FALSE(parse_bool(bad)) << bad;
}

TEST(ConfigValues, UrlSecretsAreMasked) {
    const std::pair<std::string_view, std::string_view> cases[] = {
        {"postgres://user:secret@host/db", "postgres://user:***@host/db"},
        {"postgres://user:p@ss:w@host:5432/db?sslmode=require",
         "postgres://user:***@host:5432/db?sslmode=require"},
        {"redis://:secret@cache:6379/0", "redis://:***@cache:6379/0"},
        {"redis://user@cache", "redis://user@cache"},
        {"postgres://host/db?user=me&password=secret&x=1", "postgres://host/db?user=me&password=***&x=1"},
        {"postgres://host/db?PASSWORD=secret#top", "postgres://host/db?PASSWORD=***#top"},
        {"sqlite:///var/lib/vidgen/a@b:c.db", "sqlite:///var/lib/vidgen/a@b:c.db"},
        {"not a url", "not a url"},
        {"", ""},
    };
    for (auto [url, masked] : cases) EXPECT_EQ(mask_url_secrets(url), masked) << url;
}

TEST(ConfigPrint, ListsEverySettingWithValueAndSourceAndMasksSecrets) {
    ConfigSources sources = with_file(R"({"db_idle_timeout": "90s"})");
    sources.env = {{"DATABASE_URL", "postgres://vidgen:hunter2@db:5432/vidgen"}};
    sources.flags = {{"--workers", "4"}};
    auto config = Config::load(sources);
    ASSERT_TRUE(config) << config.error().message;
    std::vector<ConfigLine> lines = config->lines();
    ASSERT_EQ(lines.size(), config_settings().size());
    for (std::size_t i = 0; i < lines.size(); ++i) EXPECT_EQ(lines[i].name, config_settings()[i].name);
    std::string table = config->print();
    EXPECT_EQ(table.find("hunter2"), std::string::npos) << table;
    EXPECT_NE(table.find("postgres://vidgen:***@db:5432/vidgen  env DATABASE_URL\n"), std::string::npos)
        << table;
    EXPECT_NE(table.find("db_idle_timeout "), std::string::npos);
    EXPECT_NE(table.find(" 90s "), std::string::npos) << table;
    EXPECT_NE(table.find("file /etc/vidgen.json\n"), std::string::npos) << table;
    EXPECT_NE(table.find("flag --workers\n"), std::string::npos) << table;
    EXPECT_TRUE(table.starts_with("SETTING ")) << table;
    EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), static_cast<long>(lines.size() + 1));
}

TEST(ConfigPrint, ColumnsAreAligned) {
    std::string table = Config().print();
    std::size_t first_line_end = table.find('\n');
    std::size_t value_column = table.find("VALUE");
    std::size_t line_start = first_line_end + 1;
    while (line_start < table.size()) {
        std::size_t end = table.find('\n', line_start);
        std::string_view line(table.data() + line_start, end - line_start);
        EXPECT_EQ(line[value_column - 1], ' ') << line;
        EXPECT_NE(line[value_column], ' ') << line;
        line_start = end + 1;
    }
    EXPECT_NE(table.find("redis_url               memory "), std::string::npos) << table;
}

}  // namespace
}  // namespace vidgen
