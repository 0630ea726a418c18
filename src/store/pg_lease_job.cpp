#include <fmt/format.h>

#include <cmath>

#include "store/detail/pg_schema.hpp"
#include "store/detail/pg_store.hpp"

namespace vidgen::store::detail {

// A worker leasing the same row through lease_next_job holds its lock; this UPDATE then waits and finds
// the job no longer queued.
Result<std::optional<Job>> PgStore::lease_job(std::string_view id, std::string_view worker,
                                              double lease_seconds, TimeMs now) {
    static const std::string sql = fmt::format(
        "UPDATE jobs SET status = 'rendering', attempts = attempts + 1, lease_owner = $2, lease_expires = "
        "$3, progress = 0, started = $1, updated = $1 WHERE id = $4 AND status = 'queued' AND not_before <= "
        "$1 RETURNING {}",
        kJobColumns);
    auto expiry = now + static_cast<TimeMs>(std::llround(lease_seconds * 1000));
    return run([&](PgConnection& c) -> Result<std::optional<Job>> {
        auto rows = query_all<Job>(c, sql, read_job, now, std::string(worker), expiry, std::string(id));
        if (!rows) return std::unexpected(rows.error());
        if (rows->empty()) return std::optional<Job>();
        return std::optional<Job>(std::move(rows->front()));
    });
}

}  // namespace vidgen::store::detail
