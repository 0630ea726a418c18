// The settings of `vidgen serve`, `vidgen worker` and `vidgen keys`: one CLI11 option per row of
// core/config's table, then defaults < config file < environment < flags. Called from main only.
#pragma once

#include <CLI/CLI.hpp>

#include <initializer_list>
#include <memory>
#include <string>

#include "core/config.hpp"
#include "core/error.hpp"
#include "core/metrics.hpp"
#include "core/record_cache.hpp"
#include "store/store.hpp"

namespace vidgen::app {

// Collects the setting flags a command line gave, in order, for Config::load.
class SettingFlags {
  public:
    // Adds --config and one option per known setting to `command`; only the settings named in `only`
    // when it is not empty.
    void add_to(CLI::App* command, std::initializer_list<std::string_view> only = {});
    // Adds `alias` as another spelling of the setting flag `flag` ("--concurrency" for "--workers").
    void add_alias(CLI::App* command, const std::string& alias, const std::string& flag);
    // The configuration from the flags given, the process environment and the config file they name.
    // Errors name the setting, its value and where it came from.
    Result<Config> load() const;

  private:
    std::shared_ptr<FlagValues> given_ = std::make_shared<FlagValues>();
};

// The records database URL: the setting, or SQLite under the data dir when it is empty.
std::string database_url(const Settings& settings);

// Creates the data dir when missing and opens (and migrates) the records database with the pool settings;
// `metrics` (may be null) receives per-statement figures, `records` (may be null) keeps hot records
// (store::StoreOptions::record_cache); both must outlive the store.
Result<std::unique_ptr<store::Store>> open_records(const Settings& settings,
                                                   MetricsRegistry* metrics = nullptr,
                                                   RecordCache* records = nullptr);

}  // namespace vidgen::app
