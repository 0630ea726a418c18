#include "store/detail/job_cursor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace vidgen::store::detail {

std::string cursor_of(const Job& job) {
    return fmt::format("{}.{}", job.created, job.id);
}

Result<std::pair<std::int64_t, std::string>> parse_cursor(std::string_view cursor) {
    auto dot = cursor.find('.');
    std::int64_t created = 0;
    auto [end, ec] = std::from_chars(cursor.data(), cursor.data() + std::min(dot, cursor.size()), created);
    if (dot == std::string_view::npos || ec != std::errc{} || end != cursor.data() + dot) {
        return fail(Code::invalid_argument, "malformed cursor", "/cursor");
    }
    return std::pair{created, std::string(cursor.substr(dot + 1))};
}

}  // namespace vidgen::store::detail
