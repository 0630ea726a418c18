#include "http/detail/target.hpp"

#include <boost/url/parse.hpp>

namespace vidgen::http::detail {
namespace {

bool has_encoded_slash(std::string_view segment) {
    for (std::size_t i = 0; i + 2 < segment.size(); ++i) {
        if (segment[i] == '%' && segment[i + 1] == '2' && (segment[i + 2] == 'f' || segment[i + 2] == 'F'))
            return true;
    }
    return false;
}

bool unsafe_segment(std::string_view decoded) {
    return decoded == ".." || decoded == "." || decoded.find('\0') != std::string_view::npos;
}

}  // namespace

Result<void> parse_target(std::string_view target, Request& request) {
    auto url = boost::urls::parse_origin_form(target);
    if (!url) return fail(Code::invalid_argument, "malformed request target");
    request.path.clear();
    for (auto segment : url->encoded_segments()) {
        if (has_encoded_slash(segment)) return fail(Code::invalid_argument, "encoded slash in path");
        request.path += '/';
        const std::size_t start = request.path.size();
        request.path += segment.decode();
        if (unsafe_segment(std::string_view(request.path).substr(start)))
            return fail(Code::invalid_argument, "unsafe path segment");
    }
    if (request.path.empty()) request.path.push_back('/');  // not = "/": GCC 12 warns wrongly (-Wrestrict)
    request.query.clear();
    for (auto param : url->params()) request.query.emplace(param.key, param.value);
    return {};
}

}  // namespace vidgen::http::detail
