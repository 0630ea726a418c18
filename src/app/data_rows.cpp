#include "app/data_rows.hpp"

#include <fmt/format.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fstream>
#include <sstream>

#include "core/csv.hpp"

namespace vidgen::app {
namespace {

Result<std::vector<DataRow>> rows_from_csv(std::string_view text) {
    auto table = parse_csv(text);
    if (!table) return std::unexpected(table.error());
    if (table->empty()) return fail(Code::invalid_argument, "CSV data has no header row");
    const CsvRow& header = table->front();
    std::vector<DataRow> rows;
    for (std::size_t r = 1; r < table->size(); ++r) {
        DataRow row;
        for (std::size_t c = 0; c < header.size(); ++c) row[header[c]] = (*table)[r][c];
        rows.push_back(std::move(row));
    }
    return rows;
}

Result<boost::json::value> parse_json(std::string_view text, std::string_view where) {
    boost::system::error_code ec;
    auto value = boost::json::parse(text, ec);
    if (ec) return fail(Code::invalid_argument, fmt::format("{}: invalid JSON: {}", where, ec.message()));
    return value;
}

Result<std::vector<DataRow>> rows_from_jsonl(std::string_view text) {
    std::vector<DataRow> rows;
    std::size_t line = 0;
    std::istringstream in{std::string(text)};
    for (std::string s; std::getline(in, s);) {
        ++line;
        if (s.find_first_not_of(" \t\r") == std::string::npos) continue;
        auto value = parse_json(s, fmt::format("line {}", line));
        if (!value) return std::unexpected(value.error());
        if (!value->is_object())
            return fail(Code::invalid_argument, fmt::format("line {}: must be an object", line));
        rows.push_back(std::move(value->as_object()));
    }
    return rows;
}

Result<std::vector<DataRow>> rows_from_json(std::string_view text) {
    auto value = parse_json(text, "data");
    if (!value) return std::unexpected(value.error());
    if (value->is_object()) return std::vector<DataRow>{std::move(value->as_object())};
    if (!value->is_array())
        return fail(Code::invalid_argument, "data must be an object or an array of objects");
    std::vector<DataRow> rows;
    for (std::size_t i = 0; i < value->as_array().size(); ++i) {
        auto& item = value->as_array()[i];
        if (!item.is_object())
            return fail(Code::invalid_argument, "must be an object", fmt::format("/{}", i));
        rows.push_back(std::move(item.as_object()));
    }
    return rows;
}

std::string field_text(const boost::json::value& value) {
    if (value.is_string()) return std::string(value.as_string());
    return boost::json::serialize(value);
}

void make_file_safe(std::string& s) {
    for (char& c : s) {
        if (static_cast<unsigned char>(c) < 0x20 ||
            std::string_view("/\\:*?\"<>|").find(c) != std::string_view::npos) {
            c = '_';
        }
    }
}

}  // namespace

Result<std::vector<DataRow>> parse_rows(std::string_view text, std::string_view format) {
    if (format == "csv") return rows_from_csv(text);
    if (format == "jsonl") return rows_from_jsonl(text);
    return rows_from_json(text);
}

Result<std::vector<DataRow>> load_rows(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(Code::not_found, fmt::format("cannot read data file {}", path.string()));
    std::stringstream buffer;
    buffer << in.rdbuf();
    auto ext = path.extension().string();
    std::string_view format = ext == ".csv"                           ? "csv"
                              : (ext == ".jsonl" || ext == ".ndjson") ? "jsonl"
                                                                      : "json";
    auto rows = parse_rows(buffer.str(), format);
    if (!rows) rows.error().message = fmt::format("{}: {}", path.string(), rows.error().message);
    return rows;
}

Result<std::string> output_name(std::string_view pattern, const DataRow& row, std::size_t index,
                                std::size_t row_count) {
    std::string out;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        auto close = pattern.find('}', i);
        if (pattern[i] != '{' || close == std::string_view::npos) {
            out.push_back(pattern[i]);
            continue;
        }
        std::string key(pattern.substr(i + 1, close - i - 1));
        std::string value;
        if (key == "row") {
            int width = static_cast<int>(std::to_string(row_count).size());
            value = fmt::format("{:0{}}", index + 1, width);
        } else if (auto it = row.find(key); it != row.end()) {
            value = field_text(it->value());
        } else {
            return fail(
                Code::invalid_argument,
                fmt::format("output name uses {{{}}} but row {} has no field '{}'", key, index + 1, key));
        }
        make_file_safe(value);
        out += value;
        i = close;
    }
    return out;
}

}  // namespace vidgen::app
