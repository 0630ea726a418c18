// The cursor of a job list page, shared by the SQLite and PostgreSQL stores: "<created>.<id>" of the last
// job on the page; the next page starts after it in (created, id) order. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.hpp"
#include "store/records.hpp"

namespace vidgen::store::detail {

std::string cursor_of(const Job& job);

// The (created, id) a cursor names; a malformed one is Code::invalid_argument at "/cursor".
Result<std::pair<std::int64_t, std::string>> parse_cursor(std::string_view cursor);

}  // namespace vidgen::store::detail
