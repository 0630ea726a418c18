// CSV as RFC 4180 writes it: comma-separated, fields optionally in double quotes ("" is a quote inside),
// CRLF or LF line ends, a header row naming the columns. Used for batch data rows.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace vidgen {

using CsvRow = std::vector<std::string>;

// All rows of `text`, the header included. Errors name the line (1-based) of an unterminated quote or a
// row whose field count differs from the header's.
Result<std::vector<CsvRow>> parse_csv(std::string_view text);

}  // namespace vidgen
