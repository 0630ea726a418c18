// The table of known settings: one row per setting, the single place to add one.
#include <array>

#include "core/config.hpp"

namespace vidgen {
namespace {

constexpr std::int64_t kSecond = 1000;
constexpr std::int64_t kMinute = 60 * kSecond;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;

using T = SettingType;
using S = Settings;

const std::array kSettings = {
    SettingInfo{"listen", "VIDGEN_LISTEN", "--listen", T::address, "127.0.0.1:8080", 0, 0, "",
                "address the HTTP server listens on (host:port; port 0 picks a free one)", &S::listen},
    SettingInfo{"data_dir", "VIDGEN_DATA_DIR", "--data-dir", T::string, "data", 1, 4096, "",
                "directory for the database, media and scratch files", &S::data_dir},
    SettingInfo{"workers", "VIDGEN_WORKERS", "--workers", T::integer, "0", 0, 256, "",
                "in-process render workers (0 = one per core)", &S::workers},
    SettingInfo{"database_url", "DATABASE_URL", "--db", T::url, "", 0, 0, "sqlite postgres postgresql",
                "records database (empty = SQLite under data_dir)", &S::database_url},
    SettingInfo{"redis_url", "REDIS_URL", "--cache", T::url, "", 0, 0, "redis rediss",
                "Redis cache layer behind the memory cache (empty = memory only)", &S::redis_url},
    SettingInfo{"cache_default_ttl", "CACHE_DEFAULT_TTL", "--cache-ttl", T::duration, "5m", kSecond,
                30 * kDay, "", "time to live of cached entries that set none", &S::cache_default_ttl},
    SettingInfo{"db_max_connections", "DB_MAX_CONNECTIONS", "--db-max-connections", T::integer, "10", 1, 1000,
                "", "most database connections in the pool", &S::db_max_connections},
    SettingInfo{"db_min_connections", "DB_MIN_CONNECTIONS", "--db-min-connections", T::integer, "1", 0, 1000,
                "", "database connections kept open while idle", &S::db_min_connections},
    SettingInfo{"db_idle_timeout", "DB_IDLE_TIMEOUT", "--db-idle-timeout", T::duration, "30s", kSecond, kHour,
                "", "idle time after which a pooled connection above the minimum closes",
                &S::db_idle_timeout},
    SettingInfo{"metrics_enabled", "METRICS_ENABLED", "--metrics", T::boolean, "true", 0, 0, "",
                "serve Prometheus metrics at /metrics", &S::metrics_enabled},
    SettingInfo{"performance_monitoring", "PERFORMANCE_MONITORING", "--performance-monitoring", T::boolean,
                "true", 0, 0, "", "track response-time percentiles for /health/performance",
                &S::performance_monitoring},
    SettingInfo{"compression_threshold", "COMPRESSION_THRESHOLD", "--compression-threshold", T::integer,
                "1024", 0, 1 << 30, "", "bytes below which responses are sent uncompressed",
                &S::compression_threshold},
    SettingInfo{"enable_brotli", "ENABLE_BROTLI", "--brotli", T::boolean, "true", 0, 0, "",
                "offer brotli when the client accepts it", &S::enable_brotli},
    SettingInfo{"compression_level", "COMPRESSION_LEVEL", "--compression-level", T::integer, "6", 1, 11, "",
                "response compression level, 1 (fastest) to 11 (smallest)", &S::compression_level},
};

}  // namespace

std::span<const SettingInfo> config_settings() {
    return kSettings;
}

}  // namespace vidgen
