// The SQLite schema as ordered migrations, and the column lists and row readers the queries share.
// Pure functions over a Statement; thread-compatible.
#pragma once

#include "store/detail/sqlite_db.hpp"
#include "store/records.hpp"

namespace vidgen::store::detail {

// Applies every migration newer than the database's in one transaction; returns the schema version.
Result<int> migrate(Connection& connection);

// SELECT lists whose column order the row readers below expect.
extern const char* const kTenantColumns;
extern const char* const kApiKeyColumns;
extern const char* const kTemplateColumns;  // from templates t JOIN template_versions v
extern const char* const kAssetColumns;
extern const char* const kJobColumns;
extern const char* const kOutputColumns;
extern const char* const kDeliveryColumns;

Tenant tenant_row(const Statement& row);
ApiKey api_key_row(const Statement& row);
Template template_row(const Statement& row);
Asset asset_row(const Statement& row);
Job job_row(const Statement& row);
Output output_row(const Statement& row);
WebhookDelivery delivery_row(const Statement& row);

// A fresh id such as "job_019ad2b4c3e10a1b2c3d": the creation time in milliseconds, then a per-process
// sequence that starts at random, so one process's ids sort in creation order (lists of records created in
// the same millisecond come out newest first).
std::string new_id(std::string_view prefix);

}  // namespace vidgen::store::detail
