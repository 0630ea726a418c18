// Configuration of `vidgen serve` and `vidgen worker`, with provenance: every effective value remembers
// whether it came from the built-in default, the config file, an environment variable or a flag (in that
// increasing order of priority). Pure: the caller reads the file and passes the environment in, so nothing
// here touches the process. Value types; thread-compatible (const methods may be called concurrently).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/error.hpp"

namespace vidgen {

// The effective settings, typed. Filled from the table in `config_settings()`.
struct Settings {
    std::string listen;        // "host:port" the HTTP server binds; port 0 = any free port
    std::string data_dir;      // records, media and scratch files live under it
    std::string media_dir;     // the media store; empty = <data_dir>/media (a shared folder in a cluster)
    std::int64_t workers = 0;  // in-process render workers; 0 = one per core
    bool render = true;        // false: an API-only node (serve), rendering left to `vidgen worker`s
    std::string database_url;  // sqlite://… or postgres://…; empty ("sqlite") = SQLite under data_dir
    std::string redis_url;     // redis://…; empty ("memory") = memory cache only
    std::chrono::milliseconds cache_default_ttl{0};
    std::int64_t db_max_connections = 0;
    std::int64_t db_min_connections = 0;
    std::chrono::milliseconds db_idle_timeout{0};
    bool metrics_enabled = false;
    bool performance_monitoring = false;
    std::int64_t compression_threshold = 0;  // bytes; smaller responses are sent uncompressed
    bool enable_brotli = false;
    std::int64_t compression_level = 0;  // 1..11 (brotli's scale; gzip and zstd clamp to theirs)
    std::int64_t rate_limit = 0;         // requests per second per API key; 0 = unlimited
    std::string public_url;              // base of the URLs in responses; empty = http://<listen>
    std::string webhook_secret;          // HMAC key of webhook signatures; empty = generated under data_dir
    bool webhook_allow_private = false;  // webhooks may target loopback and private addresses
    std::chrono::milliseconds lease_timeout{
        0};  // a job whose worker stops heartbeating is retaken after this
    std::chrono::milliseconds segment_threshold{0};    // longer mp4s render in segments; 0 = never
    std::chrono::milliseconds segment_length{0};       // each segment's length
    std::chrono::milliseconds blob_sweep_interval{0};  // between sweeps of unreferenced blobs; 0 = never
    std::chrono::milliseconds blob_sweep_grace{0};     // a younger blob is never swept
};

enum class SettingType { string, integer, boolean, duration, url, address, secret };  // secret: shown as ***

using SettingField = std::variant<std::string Settings::*, std::int64_t Settings::*, bool Settings::*,
                                  std::chrono::milliseconds Settings::*>;

// One known setting. `name` is its key in the config file; `env` and `flag` may be empty when the setting
// has no such spelling. `min`/`max` bound integers, durations (in milliseconds) and string lengths.
// `schemes` lists the URL schemes a url setting accepts, separated by spaces; `empty_word` is a word a
// url setting also accepts, meaning empty ("--cache memory"), and shows for an empty value.
struct SettingInfo {
    std::string_view name;
    std::string_view env;
    std::string_view flag;
    SettingType type = SettingType::string;
    std::string_view default_value;  // as text, parsed like any other source
    std::int64_t min = 0;
    std::int64_t max = 0;
    std::string_view schemes;
    std::string_view empty_word;
    std::string_view description;
    SettingField field;
};

// Every known setting, in the order `Config::print` lists them.
std::span<const SettingInfo> config_settings();

// The flag and variable that name the config file; the caller reads it and passes it in `ConfigSources`.
inline constexpr std::string_view kConfigFileFlag = "--config";
inline constexpr std::string_view kConfigFileEnv = "VIDGEN_CONFIG";

using Environment = std::map<std::string, std::string, std::less<>>;

// Flags as the command line gave them: {"--listen", "0.0.0.0:8080"}. A boolean flag with an empty value
// means true. When a flag repeats, the last one wins. `--config` is accepted and ignored.
using FlagValues = std::vector<std::pair<std::string, std::string>>;

struct ConfigFile {
    std::string path;  // shown in provenance and errors: "file /etc/vidgen.json"
    std::string text;  // a JSON object whose keys are setting names
};

struct ConfigSources {
    std::optional<ConfigFile> file;
    Environment env;  // variables with an empty value count as unset
    FlagValues flags;
};

// The path named by `--config` (the last one) or else by VIDGEN_CONFIG, if any.
std::optional<std::string> config_file_path(const FlagValues& flags, const Environment& env);

// One row of `--print-config`: the value as shown (secrets masked) and where it came from.
struct ConfigLine {
    std::string name;
    std::string value;
    std::string source;  // "default", "file /etc/vidgen.json", "env DATABASE_URL", "flag --listen"
};

class Config {
  public:
    // Every setting at its default.
    Config();

    // Defaults < file < environment < flags. Errors (Code::invalid_argument) name the setting, its value
    // and its source: "COMPRESSION_LEVEL=12 (env): must be 1..11"; an unknown key in the file or an unknown
    // flag is an error with a did-you-mean.
    static Result<Config> load(const ConfigSources& sources);

    const Settings& settings() const { return settings_; }
    const Settings* operator->() const { return &settings_; }

    // Where the effective value of the setting `name` came from; empty for an unknown name.
    std::string_view source(std::string_view name) const;

    // The rows of `print`, in table order, with passwords in URLs masked.
    std::vector<ConfigLine> lines() const;

    // The table `vidgen serve --print-config` shows: one row per setting with its value and source.
    std::string print() const;

  private:
    Settings settings_;
    std::vector<std::string> sources_;  // parallel to config_settings()
};

// "250ms", "30s", "5m", "2h", "1d", a sum such as "1m30s", or a bare integer meaning seconds.
Result<std::chrono::milliseconds> parse_duration(std::string_view text);

// The shortest spelling `parse_duration` reads back: 90000ms → "90s", 300000ms → "5m", 1500ms → "1500ms".
std::string format_duration(std::chrono::milliseconds duration);

// true/false, 1/0, yes/no, on/off, in any letter case.
Result<bool> parse_bool(std::string_view text);

// The URL with any password replaced by ***: "postgres://user:***@host/db"; a `password=` query
// parameter is masked too. Text that is not a URL comes back unchanged.
std::string mask_url_secrets(std::string_view url);

}  // namespace vidgen
