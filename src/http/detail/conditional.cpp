#include "http/detail/conditional.hpp"
#include "http/detail/header_text.hpp"

#include <charconv>
#include <ctime>

namespace vidgen::http::detail {
namespace {

std::optional<std::uint64_t> number(std::string_view text) {
    std::uint64_t value = 0;
    if (text.empty()) return std::nullopt;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// One "first-last", "first-" or "-suffix" spec; nullopt when malformed, an empty range when unsatisfiable.
std::optional<std::optional<ByteRange>> parse_spec(std::string_view spec, std::uint64_t size) {
    const std::size_t dash = spec.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    const std::string_view first_text = trim_ows(spec.substr(0, dash)),
                           last_text = trim_ows(spec.substr(dash + 1));
    if (first_text.empty()) {
        auto suffix = number(last_text);
        if (!suffix) return std::nullopt;
        if (*suffix == 0 || size == 0) return std::optional<ByteRange>();
        return ByteRange{size - std::min(*suffix, size), size - 1};
    }
    auto first = number(first_text);
    auto last = last_text.empty() ? std::optional<std::uint64_t>(UINT64_MAX) : number(last_text);
    if (!first || !last || *last < *first) return std::nullopt;
    if (*first >= size) return std::optional<ByteRange>();
    return ByteRange{*first, std::min(*last, size - 1)};
}

std::chrono::seconds to_seconds(std::chrono::system_clock::time_point time) {
    return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch());
}

}  // namespace

RangeRequest parse_range(std::string_view header, std::uint64_t size) {
    RangeRequest request;
    header = trim_ows(header);
    if (!header.starts_with("bytes=")) return request;
    header.remove_prefix(6);
    while (!header.empty()) {
        const std::size_t comma = header.find(',');
        auto spec = parse_spec(trim_ows(header.substr(0, comma)), size);
        if (!spec) return RangeRequest{};
        if (*spec) request.ranges.push_back(**spec);
        header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    }
    request.valid = true;
    return request;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
    if (trim_ows(if_none_match) == "*") return true;
    while (!if_none_match.empty()) {
        const std::size_t comma = if_none_match.find(',');
        std::string_view candidate = trim_ows(if_none_match.substr(0, comma));
        if (candidate == etag) return true;
        if_none_match =
            comma == std::string_view::npos ? std::string_view() : if_none_match.substr(comma + 1);
    }
    return false;
}

std::string http_date(std::chrono::system_clock::time_point time) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[40];
    const std::size_t length = std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return std::string(text, length);
}

std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text) {
    const std::string copy(trim_ows(text));
    std::tm tm{};
    const char* end = strptime(copy.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (end == nullptr || *end != '\0') return std::nullopt;
    return std::chrono::system_clock::from_time_t(timegm(&tm));
}

bool not_modified_since(std::string_view if_modified_since,
                        std::chrono::system_clock::time_point last_modified) {
    auto since = parse_http_date(if_modified_since);
    return since && to_seconds(last_modified) <= to_seconds(*since);
}

bool if_range_holds(std::string_view if_range, std::string_view etag,
                    std::chrono::system_clock::time_point last_modified) {
    if_range = trim_ows(if_range);
    if (if_range.starts_with('"')) return !etag.empty() && if_range == etag;
    auto date = parse_http_date(if_range);
    return date && to_seconds(last_modified) == to_seconds(*date);
}

}  // namespace vidgen::http::detail
