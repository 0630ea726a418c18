#include "api/errors.hpp"

#include <boost/json.hpp>

#include "core/log.hpp"

namespace vidgen::api {
namespace {

namespace json = boost::json;

int status_for(Code code) {
    switch (code) {
        case Code::invalid_argument:
            return 400;
        case Code::not_found:
            return 404;
        case Code::limit_exceeded:
            return 413;
        case Code::unsupported:
            return 415;
        case Code::canceled:
            return 409;
        case Code::io:
            return 503;
        default:
            return 500;
    }
}

}  // namespace

http::Response error_response(const Error& error) {
    if (error.code == Code::invalid_argument && !error.pointer.empty()) return validation_response({error});
    int status = status_for(error.code);
    if (status == 500) {
        spdlog::error("request failed: {}", error.to_string());
        return http::Response::error(500, "internal", "the server could not complete the request");
    }
    if (status == 503) {
        spdlog::warn("request failed, a service is unavailable: {}", error.message);
        auto response = http::Response::error(503, "unavailable", "a service is unavailable; retry later");
        response.headers.set("Retry-After", "1");
        return response;
    }
    std::string_view code = status == 400 ? "bad_request" : code_name(error.code);
    return http::Response::error(status, code, error.message, error.pointer);
}

http::Response validation_response(const std::vector<Error>& problems, std::string_view prefix) {
    json::array details;
    for (const auto& problem : problems) {
        details.push_back({{"field", std::string(prefix) + problem.pointer}, {"message", problem.message}});
    }
    json::object error{{"code", "validation_failed"}};
    error["message"] = problems.size() == 1 ? problems.front().message
                                            : std::to_string(problems.size()) + " problems in the request";
    if (!problems.empty()) error["field"] = std::string(prefix) + problems.front().pointer;
    error["details"] = std::move(details);
    return http::Response::json(422, json::serialize(json::object{{"error", std::move(error)}}));
}

http::Response bad_request(std::string_view message, std::string_view field) {
    return http::Response::error(400, "bad_request", message, field);
}

}  // namespace vidgen::api
