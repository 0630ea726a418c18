#include "core/csv.hpp"

#include <fmt/format.h>

namespace vidgen {
namespace {

// Reads one record starting at `pos`; advances `pos` past its line end. `line` counts physical lines.
Result<CsvRow> read_record(std::string_view text, std::size_t& pos, int& line) {
    CsvRow row(1);
    bool quoted = false;
    int start_line = line;
    while (pos < text.size()) {
        char c = text[pos++];
        if (quoted) {
            if (c == '"' && pos < text.size() && text[pos] == '"') {
                row.back().push_back('"');
                ++pos;
            } else if (c == '"') {
                quoted = false;
            } else {
                if (c == '\n') ++line;
                row.back().push_back(c);
            }
        } else if (c == '"' && row.back().empty()) {
            quoted = true;
        } else if (c == ',') {
            row.emplace_back();
        } else if (c == '\n') {
            ++line;
            break;
        } else if (c != '\r') {
            row.back().push_back(c);
        }
    }
    if (quoted)
        return fail(Code::invalid_argument, fmt::format("line {}: unterminated quoted field", start_line));
    return row;
}

}  // namespace

Result<std::vector<CsvRow>> parse_csv(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 byte order mark
    std::vector<CsvRow> rows;
    std::size_t pos = 0;
    int line = 1;
    while (pos < text.size()) {
        int record_line = line;
        auto row = read_record(text, pos, line);
        if (!row) return std::unexpected(row.error());
        if (row->size() == 1 && row->front().empty()) continue;  // blank line
        if (!rows.empty() && row->size() != rows.front().size()) {
            return fail(Code::invalid_argument, fmt::format("line {}: {} fields, the header has {}",
                                                            record_line, row->size(), rows.front().size()));
        }
        rows.push_back(std::move(*row));
    }
    return rows;
}

}  // namespace vidgen
