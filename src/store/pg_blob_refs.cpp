#include "store/detail/pg_schema.hpp"
#include "store/detail/pg_store.hpp"

namespace vidgen::store::detail {

namespace {

// outputs_content_key and assets_content_key answer each key of the batch.
constexpr const char* kReferenced =
    "SELECT content_key FROM outputs WHERE content_key = ANY($1::text[]) "
    "UNION SELECT content_key FROM assets WHERE content_key = ANY($1::text[])";

// Through jobs_parent, the segments; each one's parent by primary key; its outputs by primary key prefix.
// Two sweepers deleting at once each return only the rows they deleted.
constexpr const char* kDeleteAbandoned =
    "DELETE FROM outputs WHERE (job_id, content_key) IN (SELECT o.job_id, o.content_key FROM jobs s "
    "JOIN jobs p ON p.id = s.parent_id JOIN outputs o ON o.job_id = s.id WHERE s.parent_id IS NOT NULL "
    "AND p.status IN ('failed', 'canceled') LIMIT $1) "
    "RETURNING job_id, content_key, size, duration, format, created";

}  // namespace

Result<std::vector<std::string>> PgStore::referenced_keys(const std::vector<std::string>& keys) {
    if (keys.size() > kMaxKeyBatch)
        return fail(Code::invalid_argument, "too many keys in one batch", "/keys");
    if (keys.empty()) return std::vector<std::string>{};
    return run([&](PgConnection& c) {
        return query_all<std::string>(
            c, kReferenced, [](const PgRow& row) { return row.text(0); }, keys);
    });
}

Result<std::vector<Output>> PgStore::delete_abandoned_segment_outputs(int limit) {
    return run([&](PgConnection& c) { return query_all<Output>(c, kDeleteAbandoned, read_output, limit); });
}

}  // namespace vidgen::store::detail
