// Durations, booleans and URL masking as configuration text spells them.
#include <fmt/format.h>

#include <array>
#include <cctype>
#include <charconv>
#include <limits>

#include "core/config.hpp"

namespace vidgen {
namespace {

struct Unit {
    std::string_view suffix;
    std::int64_t millis;
};

// "ms" before "m" so that the longer suffix wins.
constexpr std::array<Unit, 5> kUnits = {
    {{"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}}};

// Largest unit first, for formatting.
constexpr std::array<Unit, 4> kFormatUnits = {
    {{"d", 86'400'000}, {"h", 3'600'000}, {"m", 60'000}, {"s", 1000}}};

constexpr std::int64_t kMaxMillis = std::numeric_limits<std::int64_t>::max() / 2;

auto bad_duration() {
    return fail(Code::invalid_argument, "must be a duration such as 250ms, 30s, 5m or 1h");
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Reads the unsigned integer at the front of `text` and removes it.
std::optional<std::int64_t> take_number(std::string_view& text) {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end == text.data() || value < 0) return std::nullopt;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    return value;
}

std::optional<std::int64_t> take_unit(std::string_view& text) {
    for (const Unit& unit : kUnits) {
        if (text.starts_with(unit.suffix)) {
            text.remove_prefix(unit.suffix.size());
            return unit.millis;
        }
    }
    return std::nullopt;
}

std::string mask_query_passwords(std::string_view query) {
    std::string out;
    std::size_t start = 0;
    while (start <= query.size()) {
        std::size_t end = query.find('&', start);
        if (end == std::string_view::npos) end = query.size();
        std::string_view param = query.substr(start, end - start);
        if (start > 0) out += '&';
        std::size_t eq = param.find('=');
        bool secret = eq != std::string_view::npos && lower(param.substr(0, eq)) == "password";
        out += secret ? std::string(param.substr(0, eq)) + "=***" : std::string(param);
        start = end + 1;
    }
    return out;
}

}  // namespace

Result<std::chrono::milliseconds> parse_duration(std::string_view text) {
    std::string_view rest = text;
    auto first = take_number(rest);
    if (!first) return bad_duration();
    if (rest.empty()) {  // a bare number counts seconds
        if (*first > kMaxMillis / 1000) return bad_duration();
        return std::chrono::milliseconds(*first * 1000);
    }
    std::int64_t total = 0;
    std::optional<std::int64_t> number = first;
    while (true) {
        auto unit = take_unit(rest);
        if (!unit || *number > (kMaxMillis - total) / *unit) return bad_duration();
        total += *number * *unit;
        if (rest.empty()) return std::chrono::milliseconds(total);
        number = take_number(rest);
        if (!number) return bad_duration();
    }
}

std::string format_duration(std::chrono::milliseconds duration) {
    std::int64_t millis = duration.count();
    if (millis == 0) return "0s";
    for (const Unit& unit : kFormatUnits) {
        if (millis % unit.millis == 0) return fmt::format("{}{}", millis / unit.millis, unit.suffix);
    }
    return fmt::format("{}ms", millis);
}

Result<bool> parse_bool(std::string_view text) {
    std::string word = lower(text);
    if (word == "true" || word == "1" || word == "yes" || word == "on") return true;
    if (word == "false" || word == "0" || word == "no" || word == "off") return false;
    return fail(Code::invalid_argument, "must be true or false (or 1/0, yes/no, on/off)");
}

std::string mask_url_secrets(std::string_view url) {
    std::size_t scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return std::string(url);
    std::size_t authority = scheme_end + 3;
    std::size_t path = url.find_first_of("/?#", authority);
    if (path == std::string_view::npos) path = url.size();
    std::string out(url.substr(0, authority));
    std::string_view host_part = url.substr(authority, path - authority);
    std::size_t at = host_part.rfind('@');
    std::size_t colon = at == std::string_view::npos ? at : host_part.substr(0, at).find(':');
    if (colon != std::string_view::npos) {
        out += host_part.substr(0, colon);
        out += ":***";
        out += host_part.substr(at);
    } else {
        out += host_part;
    }
    std::string_view tail = url.substr(path);
    std::size_t query = tail.find('?');
    if (query == std::string_view::npos) return out + std::string(tail);
    std::size_t fragment = tail.find('#', query);
    if (fragment == std::string_view::npos) fragment = tail.size();
    out += tail.substr(0, query + 1);
    out += mask_query_passwords(tail.substr(query + 1, fragment - query - 1));
    out += tail.substr(fragment);
    return out;
}

}  // namespace vidgen
