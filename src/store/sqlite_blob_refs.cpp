#include <string>

#include "store/detail/sqlite_schema.hpp"
#include "store/detail/sqlite_store.hpp"

namespace vidgen::store::detail {

namespace {

// "?1, ?2, …, ?n": the same numbered parameters serve both IN lists.
std::string placeholders(std::size_t count) {
    std::string list;
    for (std::size_t i = 1; i <= count; ++i) list += (i == 1 ? "?" : ", ?") + std::to_string(i);
    return list;
}

// Through jobs_parent, the segments; each one's parent by primary key; its outputs by primary key prefix.
constexpr const char* kDeleteAbandoned =
    "DELETE FROM outputs WHERE rowid IN (SELECT o.rowid FROM jobs s JOIN jobs p ON p.id = s.parent_id "
    "JOIN outputs o ON o.job_id = s.id WHERE s.parent_id IS NOT NULL AND p.status IN ('failed', 'canceled') "
    "LIMIT ?1) RETURNING job_id, content_key, size, duration, format, created";

}  // namespace

Result<std::vector<std::string>> SqliteStore::referenced_keys(const std::vector<std::string>& keys) {
    if (keys.size() > kMaxKeyBatch)
        return fail(Code::invalid_argument, "too many keys in one batch", "/keys");
    if (keys.empty()) return std::vector<std::string>{};
    std::string in = placeholders(keys.size());
    std::string sql = "SELECT content_key FROM outputs WHERE content_key IN (" + in +
                      ") UNION SELECT content_key FROM assets WHERE content_key IN (" + in + ")";
    return read([&](Connection& c) -> Result<std::vector<std::string>> {
        auto stmt = c.prepare(sql);
        if (!stmt) return std::unexpected(stmt.error());
        for (std::size_t i = 0; i < keys.size(); ++i) stmt->bind_one(static_cast<int>(i + 1), keys[i]);
        std::vector<std::string> found;
        for (;;) {
            auto more = stmt->step();
            if (!more) return std::unexpected(more.error());
            if (!*more) return found;
            found.push_back(stmt->text(0));
        }
    });
}

Result<std::vector<Output>> SqliteStore::delete_abandoned_segment_outputs(int limit) {
    return write([&](Connection& c) { return select_all<Output>(c, kDeleteAbandoned, output_row, limit); });
}

}  // namespace vidgen::store::detail
