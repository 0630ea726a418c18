#include "spec/parse.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>

#include <algorithm>

#include "spec/detail/read.hpp"
#include "spec/merge.hpp"

namespace vidgen::spec {
namespace {

namespace json = boost::json;

std::unexpected<Problems> problem(Code code, std::string message, std::string pointer = {}) {
    return std::unexpected(Problems{{Error{code, std::move(message), std::move(pointer)}}});
}

// True when arrays and objects nest deeper than `limit`; never recurses further than that.
bool deeper_than(const json::value& value, int limit) {
    if (!value.is_array() && !value.is_object()) return false;
    if (limit <= 0) return true;
    if (const auto* array = value.if_array())
        return std::ranges::any_of(*array, [&](const json::value& v) { return deeper_than(v, limit - 1); });
    return std::ranges::any_of(value.get_object(), [&](const json::key_value_pair& kv) {
        return deeper_than(kv.value(), limit - 1);
    });
}

std::string position_of(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    auto line = std::ranges::count(text.substr(0, offset), '\n') + 1;
    auto line_start = text.substr(0, offset).rfind('\n');
    auto column = offset - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
    return fmt::format("line {}, column {}", line, column);
}

std::expected<json::value, Problems> read_json(std::string_view text, const Limits& limits) {
    json::parse_options options;
    options.max_depth = static_cast<std::size_t>(std::max(limits.max_depth, 1));
    json::stream_parser parser({}, options);
    boost::system::error_code ec;
    std::size_t used = parser.write_some(text.data(), text.size(), ec);
    if (!ec && used < text.size()) ec = json::error::extra_data;
    if (!ec) parser.finish(ec);
    if (ec == json::error::too_deep)
        return problem(Code::limit_exceeded,
                       fmt::format("JSON nests deeper than {} levels", limits.max_depth));
    if (ec)
        return problem(Code::invalid_argument,
                       fmt::format("invalid JSON at {}: {}", position_of(text, used), ec.message()));
    return parser.release();
}

std::expected<Spec, Problems> read_spec(const json::value& merged, const Limits& limits) {
    detail::Context context{limits, {}};
    detail::Node root(&merged, "", context);
    Spec spec;
    if (root.object()) {
        static constexpr std::string_view kKeys[] = {"$schema", "output", "timeline"};
        root.only_keys(kKeys);
        root["$schema"].string();
        spec.output = detail::read_output(root["output"]);
        if (root["timeline"].require()) spec.timeline = detail::read_timeline(root["timeline"]);
    }
    if (context.problems.empty()) detail::check_semantics(spec, context);
    if (!context.problems.empty()) return std::unexpected(std::move(context.problems));
    return spec;
}

std::expected<Spec, Problems> merge_and_read(const json::value& json, const json::object& data,
                                             const Limits& limits) {
    auto merged = fill_merge_fields(json, data);
    if (!merged) return std::unexpected(std::move(merged.error()));
    if (deeper_than(*merged, limits.max_depth))
        return problem(Code::limit_exceeded,
                       fmt::format("the spec nests deeper than {} levels once merge fields are filled",
                                   limits.max_depth));
    return read_spec(*merged, limits);
}

}  // namespace

std::expected<Spec, Problems> parse(std::string_view json, const json::object& data, const Limits& limits) {
    if (json.size() > limits.max_json_bytes)
        return problem(Code::limit_exceeded, fmt::format("the spec is {} bytes; the limit is {}", json.size(),
                                                         limits.max_json_bytes));
    auto value = read_json(json, limits);
    if (!value) return std::unexpected(std::move(value.error()));
    return merge_and_read(*value, data, limits);
}

std::expected<Spec, Problems> parse(const json::value& json, const json::object& data, const Limits& limits) {
    if (deeper_than(json, limits.max_depth))
        return problem(Code::limit_exceeded,
                       fmt::format("JSON nests deeper than {} levels", limits.max_depth));
    std::size_t bytes = json::serialize(json).size();
    if (bytes > limits.max_json_bytes)
        return problem(Code::limit_exceeded,
                       fmt::format("the spec is {} bytes; the limit is {}", bytes, limits.max_json_bytes));
    return merge_and_read(json, data, limits);
}

}  // namespace vidgen::spec
