#include "http/router.hpp"

#include <stdexcept>

namespace vidgen::http {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> segments;
    if (path.empty() || path.front() != '/') return segments;
    std::size_t start = 1;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        if (!(start == path.size() && segments.empty())) segments.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    return segments;
}

bool is_param(std::string_view segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// -1 no match; otherwise a bit per segment that is literal, most significant first (a literal beats a
// parameter at the first segment where two patterns differ).
long long match_score(const std::vector<std::string>& pattern, const std::vector<std::string_view>& path) {
    if (pattern.size() != path.size()) return -1;
    long long score = 0;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const bool param = is_param(pattern[i]);
        if (!param && pattern[i] != path[i]) return -1;
        if (param && path[i].empty()) return -1;
        score = (score << 1) | (param ? 0 : 1);
    }
    return score;
}

}  // namespace

void Router::add(Method method, std::string pattern, Handler handler, RouteOptions options) {
    if (pattern.empty() || pattern.front() != '/')
        throw std::invalid_argument("route pattern must start with /");
    std::vector<std::string> segments;
    for (std::string_view segment : split_path(pattern)) {
        if ((segment.find_first_of("{}") != std::string_view::npos && !is_param(segment)) ||
            segments.size() >= 60)
            throw std::invalid_argument("malformed route pattern: " + pattern);
        segments.emplace_back(segment);
    }
    for (const Route& route : routes_) {
        if (route.method == method && route.pattern == pattern)
            throw std::invalid_argument("duplicate route: " + pattern);
    }
    if (options.name.empty()) options.name = pattern;
    routes_.push_back(Route{method, std::move(pattern), std::move(handler), std::move(options)});
    segments_.push_back(std::move(segments));
}

RouteMatch Router::match(Method method, std::string_view path,
                         std::map<std::string, std::string, std::less<>>& params) const {
    const std::vector<std::string_view> segments = split_path(path);
    long long best = -1;
    std::size_t best_index = 0;
    for (std::size_t i = 0; i < routes_.size(); ++i) {
        const long long score = match_score(segments_[i], segments);
        if (score > best) best = score, best_index = i;
    }
    RouteMatch result;
    if (best < 0) return result;
    const std::string& pattern = routes_[best_index].pattern;
    const Route* fallback = nullptr;
    for (const Route& route : routes_) {
        if (route.pattern != pattern) continue;
        if (route.method == method) result.route = &route;
        if (method == Method::head && route.method == Method::get) fallback = &route;
        result.allowed.push_back(route.method);
        if (route.method == Method::get) result.allowed.push_back(Method::head);
    }
    if (result.route == nullptr) result.route = fallback;
    if (result.route == nullptr) return result;
    result.allowed.clear();
    const std::vector<std::string>& pattern_segments = segments_[best_index];
    for (std::size_t i = 0; i < pattern_segments.size(); ++i) {
        if (is_param(pattern_segments[i]))
            params.insert_or_assign(pattern_segments[i].substr(1, pattern_segments[i].size() - 2),
                                    std::string(segments[i]));
    }
    return result;
}

}  // namespace vidgen::http
