// How a response is kept in the response cache: status, content type, content encoding and body in one
// string. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vidgen::http::detail {

struct CachedResponse {
    int status = 200;
    std::string_view content_type;
    std::string_view content_encoding;  // empty: identity
    std::string_view body;
};

std::string encode_cached(const CachedResponse& response);
// Views into `stored`; nullopt when it is not an encoded response.
std::optional<CachedResponse> decode_cached(std::string_view stored);

}  // namespace vidgen::http::detail
