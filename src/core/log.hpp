// Logging through spdlog. `init_logging` is called once by main before any thread starts;
// the spdlog macros and functions are thread-safe afterwards.
#pragma once

#include <spdlog/spdlog.h>

namespace vidgen {

enum class LogFormat { text, json };

// Sets the default logger to stderr with the given level name ("info", "debug", …) and format.
void init_logging(std::string_view level, LogFormat format = LogFormat::text);

}  // namespace vidgen
