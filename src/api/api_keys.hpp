// API keys: how they are made ("vg_" + 64 hex digits of OpenSSL randomness), how they are stored (only
// their SHA-256, never the key) and how a tenant gets one (`vidgen keys create`, the first start of
// `vidgen serve`). Thread-safe: no shared state beyond the Store, which is thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "store/store.hpp"

namespace vidgen::api {

// A new random key: "vg_" followed by 32 random bytes in lower-case hex. Throws std::runtime_error only
// when the system has no randomness to give (OpenSSL's RAND_bytes fails), which is unrecoverable.
std::string generate_api_key();

// Lower-case hex SHA-256 of the key: what the store keeps and looks up.
std::string hash_api_key(std::string_view key);

// Creates a key for the tenant named `tenant_name` (creating the tenant when it does not exist yet) and
// returns the key itself, which is shown once and never stored. Errors: the store's.
Result<std::string> create_api_key(store::Store& store, std::string_view tenant_name, bool admin,
                                   std::string_view label);

}  // namespace vidgen::api
