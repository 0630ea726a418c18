// Small helpers for reading header values. Pure; thread-safe.
#pragma once

#include <string_view>

namespace vidgen::http::detail {

// `text` without leading and trailing optional whitespace (spaces and tabs, RFC 9110 OWS).
inline std::string_view trim_ows(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

}  // namespace vidgen::http::detail
