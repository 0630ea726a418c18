#include "http/detail/cached_response.hpp"

#include <charconv>

namespace vidgen::http::detail {

std::string encode_cached(const CachedResponse& response) {
    std::string out = std::to_string(response.status);
    out.reserve(out.size() + response.content_type.size() + response.content_encoding.size() +
                response.body.size() + 2);
    out += '\n';
    out += response.content_type;
    out += '\n';
    out += response.content_encoding;
    out += '\n';
    out += response.body;
    return out;
}

std::optional<CachedResponse> decode_cached(std::string_view stored) {
    CachedResponse response;
    const std::size_t first = stored.find('\n');
    if (first == std::string_view::npos) return std::nullopt;
    auto [end, ec] = std::from_chars(stored.data(), stored.data() + first, response.status);
    if (ec != std::errc() || end != stored.data() + first) return std::nullopt;
    const std::size_t second = stored.find('\n', first + 1);
    if (second == std::string_view::npos) return std::nullopt;
    const std::size_t third = stored.find('\n', second + 1);
    if (third == std::string_view::npos) return std::nullopt;
    response.content_type = stored.substr(first + 1, second - first - 1);
    response.content_encoding = stored.substr(second + 1, third - second - 1);
    response.body = stored.substr(third + 1);
    return response;
}

}  // namespace vidgen::http::detail
