// The indexes the store's queries rely on (the queue above all), as both backends' migrations create them:
// /admin/db/analyze suggests any that is missing and /admin/db/optimize creates it. Constants only.
#pragma once

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include "store/db_report.hpp"

namespace vidgen::store::detail {

struct RecommendedIndex {
    std::string_view name;
    std::string_view definition;  // what follows CREATE INDEX [CONCURRENTLY] IF NOT EXISTS <name>
    std::string_view serves;      // the query it keeps fast
};

inline constexpr std::array kRecommendedIndexes = {
    RecommendedIndex{"jobs_ready", "ON jobs (priority DESC, created, id) WHERE status = 'queued'",
                     "leasing the next job"},
    RecommendedIndex{"jobs_tenant_ready",
                     "ON jobs (tenant_id, priority DESC, created, id) WHERE status = 'queued'",
                     "each tenant's next job in the fair lease"},
    RecommendedIndex{"jobs_tenant_started", "ON jobs (tenant_id, started)",
                     "each tenant's last lease in the fair lease"},
    RecommendedIndex{"jobs_leased", "ON jobs (lease_expires) WHERE status = 'rendering'",
                     "the sweep of expired leases"},
    RecommendedIndex{"jobs_tenant_status", "ON jobs (tenant_id, status)",
                     "jobs rendering per tenant and status counts"},
    RecommendedIndex{"jobs_tenant_created", "ON jobs (tenant_id, created DESC, id DESC)",
                     "listing a tenant's jobs"},
    RecommendedIndex{"jobs_parent", "ON jobs (parent_id, segment_first) WHERE parent_id IS NOT NULL",
                     "a segment-parallel render's segments"},
    RecommendedIndex{
        "jobs_webhook_ended",
        "ON jobs (finished) WHERE webhook_url <> '' AND status IN ('done', 'failed', 'canceled')",
        "the webhook dispatcher's scan for deliveries still owed"},
    RecommendedIndex{"outputs_content_key", "ON outputs (content_key)",
                     "the blob sweep: is a blob some output's"},
    RecommendedIndex{"assets_content_key", "ON assets (content_key)",
                     "the blob sweep: is a blob some asset's"},
};

// The recommended indexes that `present` does not list.
inline std::vector<RecommendedIndex> missing_indexes(const std::vector<IndexReport>& present) {
    std::vector<RecommendedIndex> missing;
    for (const auto& index : kRecommendedIndexes) {
        auto named = [&](const IndexReport& report) { return report.name == index.name; };
        if (std::none_of(present.begin(), present.end(), named)) missing.push_back(index);
    }
    return missing;
}

}  // namespace vidgen::store::detail
