#include "core/detail/config_values.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

namespace vidgen::detail {
namespace {

using Problem = std::optional<std::string>;

Problem check_string(const SettingInfo& info, std::string_view text) {
    auto size = static_cast<std::int64_t>(text.size());
    if (size < info.min) return "must not be empty";
    if (size > info.max) return fmt::format("must be at most {} characters", info.max);
    return std::nullopt;
}

bool is_port(std::string_view text) {
    unsigned port = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
    return ec == std::errc{} && end == text.data() + text.size() && port <= 65535;
}

// "host:port" or "[v6 address]:port".
Problem check_address(std::string_view text) {
    std::size_t colon = text.rfind(':');
    std::string_view host = colon == std::string_view::npos ? text : text.substr(0, colon);
    if (host.starts_with('[') && host.ends_with(']'))
        host = host.substr(1, host.size() - 2);
    else if (host.find(':') != std::string_view::npos)
        host = {};
    bool host_ok = !host.empty() && host.find_first_of(" /[]") == std::string_view::npos;
    if (colon == std::string_view::npos || !host_ok || !is_port(text.substr(colon + 1))) {
        return "must be host:port with a port 0..65535";
    }
    return std::nullopt;
}

std::vector<std::string_view> words(std::string_view text) {
    std::vector<std::string_view> out;
    while (!text.empty()) {
        std::size_t space = text.find(' ');
        if (space != 0) out.push_back(text.substr(0, space));
        if (space == std::string_view::npos) break;
        text.remove_prefix(space + 1);
    }
    return out;
}

Problem check_url(const SettingInfo& info, std::string_view text) {
    if (text.empty() || text == info.empty_word) return std::nullopt;
    std::size_t scheme_end = text.find("://");
    auto schemes = words(info.schemes);
    bool known = scheme_end != std::string_view::npos && scheme_end + 3 < text.size() &&
                 std::ranges::find(schemes, text.substr(0, scheme_end)) != schemes.end();
    if (known) return std::nullopt;
    std::string list;
    for (std::size_t i = 0; i < schemes.size(); ++i) {
        list += i == 0 ? "" : (i + 1 == schemes.size() ? " or " : ", ");
        list += fmt::format("{}://", schemes[i]);
    }
    std::string word = info.empty_word.empty() ? "" : fmt::format("{} or ", info.empty_word);
    return fmt::format("must be {}a URL starting with {}", word, list);
}

std::string range_text(const SettingInfo& info) {
    if (info.type != SettingType::duration) return fmt::format("must be {}..{}", info.min, info.max);
    return fmt::format("must be {}..{}", format_duration(std::chrono::milliseconds(info.min)),
                       format_duration(std::chrono::milliseconds(info.max)));
}

Problem set_integer(const SettingInfo& info, std::string_view text, Settings& out) {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return "must be an integer";
    if (value < info.min || value > info.max) return range_text(info);
    out.*std::get<std::int64_t Settings::*>(info.field) = value;
    return std::nullopt;
}

Problem set_duration(const SettingInfo& info, std::string_view text, Settings& out) {
    auto value = parse_duration(text);
    if (!value) return value.error().message;
    if (value->count() < info.min || value->count() > info.max) return range_text(info);
    out.*std::get<std::chrono::milliseconds Settings::*>(info.field) = *value;
    return std::nullopt;
}

Problem set_boolean(const SettingInfo& info, std::string_view text, Settings& out) {
    auto value = parse_bool(text);
    if (!value) return value.error().message;
    out.*std::get<bool Settings::*>(info.field) = *value;
    return std::nullopt;
}

Problem set_text(const SettingInfo& info, std::string_view text, Settings& out) {
    Problem problem = info.type == SettingType::url       ? check_url(info, text)
                      : info.type == SettingType::address ? check_address(text)
                                                          : check_string(info, text);
    if (problem) return problem;
    bool empty = info.type == SettingType::url && text == info.empty_word;
    out.*std::get<std::string Settings::*>(info.field) = empty ? std::string() : std::string(text);
    return std::nullopt;
}

std::string normalized(std::string_view name) {
    std::string out(name);
    for (char& c : out) c = c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace

std::optional<std::string> set_setting(const SettingInfo& info, std::string_view text, Settings& out) {
    switch (info.type) {
        case SettingType::integer:
            return set_integer(info, text, out);
        case SettingType::duration:
            return set_duration(info, text, out);
        case SettingType::boolean:
            return set_boolean(info, text, out);
        case SettingType::string:
        case SettingType::url:
        case SettingType::address:
        case SettingType::secret:
            return set_text(info, text, out);
    }
    return "has an unknown type";
}

std::string show_setting(const SettingInfo& info, const Settings& settings) {
    switch (info.type) {
        case SettingType::integer:
            return fmt::format("{}", settings.*std::get<std::int64_t Settings::*>(info.field));
        case SettingType::duration:
            return format_duration(settings.*std::get<std::chrono::milliseconds Settings::*>(info.field));
        case SettingType::boolean:
            return settings.*std::get<bool Settings::*>(info.field) ? "true" : "false";
        case SettingType::string:
        case SettingType::url:
        case SettingType::address:
        case SettingType::secret:
            break;
    }
    const std::string& text = settings.*std::get<std::string Settings::*>(info.field);
    if (text.empty()) return info.empty_word.empty() ? "(none)" : std::string(info.empty_word);
    if (info.type == SettingType::secret) return "***";
    return info.type == SettingType::url ? mask_url_secrets(text) : text;
}

std::optional<std::string_view> closest_name(std::string_view unknown,
                                             std::span<const std::string_view> candidates) {
    std::string wanted = normalized(unknown);
    std::optional<std::string_view> best;
    std::size_t best_distance = std::max<std::size_t>(2, wanted.size() / 3) + 1;
    for (std::string_view candidate : candidates) {
        std::size_t distance = edit_distance(wanted, normalized(candidate));
        if (distance < best_distance) {
            best = candidate;
            best_distance = distance;
        }
    }
    return best;
}

}  // namespace vidgen::detail
