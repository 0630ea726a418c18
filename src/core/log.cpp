#include "core/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace vidgen {

void init_logging(std::string_view level, LogFormat format) {
    spdlog::drop("vidgen");  // calling again replaces the logger (level, format)
    auto logger = spdlog::stderr_color_mt("vidgen");
    if (format == LogFormat::json) {
        logger->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":"%v"})",
                            spdlog::pattern_time_type::utc);
    } else {
        logger->set_pattern("%^%l%$: %v");
    }
    logger->set_level(spdlog::level::from_str(std::string(level)));
    spdlog::set_default_logger(logger);
}

}  // namespace vidgen
