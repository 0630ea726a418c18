#include <fmt/format.h>

#include <cmath>

#include "store/detail/sqlite_schema.hpp"
#include "store/detail/sqlite_store.hpp"

namespace vidgen::store::detail {

Result<std::optional<Job>> SqliteStore::lease_job(std::string_view id, std::string_view worker,
                                                  double lease_seconds, TimeMs now) {
    static const std::string sql = fmt::format(
        "UPDATE jobs SET status = 'rendering', attempts = attempts + 1, lease_owner = ?2, lease_expires = "
        "?3, progress = 0, started = ?1, updated = ?1 WHERE id = ?4 AND status = 'queued' AND not_before <= "
        "?1 RETURNING {}",
        kJobColumns);
    auto expiry = now + static_cast<TimeMs>(std::llround(lease_seconds * 1000));
    return write([&](Connection& c) -> Result<std::optional<Job>> {
        auto leased = select_one<Job>(c, "job", sql, job_row, now, worker, expiry, id);
        if (leased) return std::optional<Job>(std::move(*leased));
        if (leased.error().code == Code::not_found) return std::optional<Job>();
        return std::unexpected(leased.error());
    });
}

}  // namespace vidgen::store::detail
