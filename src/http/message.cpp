#include "http/message.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include <algorithm>
#include <cctype>

namespace vidgen::http {
namespace {

bool same_name(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

std::string json_string(std::string_view text) {
    return boost::json::serialize(boost::json::string(text));
}

}  // namespace

const char* method_name(Method method) {
    switch (method) {
        case Method::get:
            return "GET";
        case Method::head:
            return "HEAD";
        case Method::post:
            return "POST";
        case Method::put:
            return "PUT";
        case Method::patch:
            return "PATCH";
        case Method::del:
            return "DELETE";
        case Method::options:
            return "OPTIONS";
        case Method::other:
            return "OTHER";
    }
    return "OTHER";
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
    for (const auto& [field, value] : fields_) {
        if (same_name(field, name)) return std::string_view(value);
    }
    return std::nullopt;
}

void Headers::set(std::string_view name, std::string_view value) {
    erase(name);
    add(name, value);
}

void Headers::add(std::string_view name, std::string_view value) {
    fields_.emplace_back(name, value);
}

void Headers::erase(std::string_view name) {
    std::erase_if(fields_, [&](const auto& field) { return same_name(field.first, name); });
}

std::optional<std::string_view> Request::query_value(std::string_view name) const {
    auto found = query.find(name);
    if (found == query.end()) return std::nullopt;
    return std::string_view(found->second);
}

std::string_view Request::param(std::string_view name) const {
    auto found = params.find(name);
    return found == params.end() ? std::string_view() : std::string_view(found->second);
}

Response Response::json(int status, std::string body) {
    return text(status, std::move(body), "application/json");
}

Response Response::text(int status, std::string body, std::string_view content_type) {
    Response response;
    response.status = status;
    response.headers.set("Content-Type", content_type);
    response.body = std::move(body);
    return response;
}

Response Response::error(int status, std::string_view code, std::string_view message,
                         std::string_view field) {
    std::string body = "{\"error\":{\"code\":" + json_string(code) + ",\"message\":" + json_string(message);
    if (!field.empty()) body += ",\"field\":" + json_string(field);
    body += "}}";
    return json(status, std::move(body));
}

Response Response::file(FileBody file, std::string_view content_type) {
    Response response;
    response.headers.set("Content-Type", content_type);
    response.body = std::move(file);
    response.compressible = false;
    return response;
}

Response Response::events(EventStreamStart start) {
    Response response;
    response.headers.set("Content-Type", "text/event-stream");
    response.body = std::move(start);
    response.compressible = false;
    return response;
}

}  // namespace vidgen::http
