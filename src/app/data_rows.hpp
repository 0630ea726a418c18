// Merge data for the CLI's --data: one JSON object, a JSON array of objects, JSON Lines, or CSV with a
// header naming the fields. Also names each row's output file from a pattern such as 'card-{row}.mp4'
// or 'card-{name}.mp4'. Pure functions except load_rows, which reads the file.
#pragma once

#include <boost/json/object.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace vidgen::app {

using DataRow = boost::json::object;

// Rows from a file, chosen by extension: .csv, .jsonl/.ndjson, else JSON (object or array of objects).
Result<std::vector<DataRow>> load_rows(const std::filesystem::path& path);

// The same from text already read; `format` is "csv", "jsonl" or "json".
Result<std::vector<DataRow>> parse_rows(std::string_view text, std::string_view format);

// Fills `{row}` (1-based, zero-padded to the width of `row_count`) and `{field}` from the row. A field the
// row lacks is an error; characters unsafe in file names (/ \ : * ? " < > | and controls) become '_'.
Result<std::string> output_name(std::string_view pattern, const DataRow& row, std::size_t index,
                                std::size_t row_count);

}  // namespace vidgen::app
