// Reading and showing one setting's value, for core/config.cpp. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/config.hpp"

namespace vidgen::detail {

// Parses `text` as the setting's type, checks its range and stores it in `out`. On failure returns what
// is wrong, phrased to follow the value: "must be 1..11".
std::optional<std::string> set_setting(const SettingInfo& info, std::string_view text, Settings& out);

// The setting's current value as `--print-config` shows it: durations as "30s", URLs with secrets masked.
std::string show_setting(const SettingInfo& info, const Settings& settings);

// The candidate closest to `unknown` (ignoring letter case and '-' versus '_'), if one is close enough
// to be a likely typo.
std::optional<std::string_view> closest_name(std::string_view unknown,
                                             std::span<const std::string_view> candidates);

}  // namespace vidgen::detail
