#include "api/assets_multipart.hpp"

#include <algorithm>
#include <cctype>

namespace vidgen::api {
namespace {

constexpr std::size_t kMaxHeaderBytes = std::size_t{8} << 10;
constexpr std::size_t kMaxBoundary = 70;

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// The value of `name=` among "; "-separated parameters, unquoted; nullopt when absent.
std::optional<std::string> parameter(std::string_view params, std::string_view name) {
    while (!params.empty()) {
        std::size_t semicolon = params.find(';');
        std::string_view item = trim(params.substr(0, semicolon));
        params = semicolon == std::string_view::npos ? std::string_view{} : params.substr(semicolon + 1);
        std::size_t equals = item.find('=');
        if (equals == std::string_view::npos || !iequals(trim(item.substr(0, equals)), name)) continue;
        std::string_view value = trim(item.substr(equals + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
            value = value.substr(1, value.size() - 2);
        }
        return std::string(value);
    }
    return std::nullopt;
}

bool valid_boundary(std::string_view boundary) {
    return !boundary.empty() && boundary.size() <= kMaxBoundary &&
           std::all_of(boundary.begin(), boundary.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

Result<PartHeaders> parse_part_headers(std::string_view block) {
    PartHeaders headers;
    bool disposition = false;
    while (!block.empty()) {
        std::size_t end = block.find("\r\n");
        std::string_view line = block.substr(0, end);
        block = end == std::string_view::npos ? std::string_view{} : block.substr(end + 2);
        std::size_t colon = line.find(':');
        if (colon == std::string_view::npos)
            return fail(Code::invalid_argument, "malformed multipart header");
        std::string_view name = trim(line.substr(0, colon));
        std::string_view value = trim(line.substr(colon + 1));
        if (iequals(name, "Content-Disposition")) {
            disposition = true;
            std::string_view params = value.substr(std::min(value.find(';'), value.size()));
            headers.name = parameter(params, "name").value_or("");
            headers.filename = parameter(params, "filename").value_or("");
        } else if (iequals(name, "Content-Type")) {
            headers.content_type = std::string(value);
        }
    }
    if (!disposition) return fail(Code::invalid_argument, "a multipart part has no Content-Disposition");
    return headers;
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
    std::size_t semicolon = content_type.find(';');
    if (!iequals(trim(content_type.substr(0, semicolon)), "multipart/form-data")) return std::nullopt;
    if (semicolon == std::string_view::npos) return std::string();
    auto boundary = parameter(content_type.substr(semicolon + 1), "boundary");
    if (!boundary || !valid_boundary(*boundary)) return std::string();
    return boundary;
}

// The body is read as if it started with "\r\n", so the first delimiter looks like every other one.
MultipartParser::MultipartParser(std::string_view boundary, PartCallbacks callbacks)
    : delimiter_("\r\n--" + std::string(boundary)), callbacks_(std::move(callbacks)), buffer_("\r\n") {}

Result<void> MultipartParser::feed(std::string_view chunk) {
    buffer_.append(chunk);
    for (;;) {
        auto progressed = step();
        if (!progressed) return std::unexpected(progressed.error());
        if (!*progressed) return {};
    }
}

Result<void> MultipartParser::finish() const {
    if (state_ != State::done)
        return fail(Code::invalid_argument, "the multipart body ends before its last boundary");
    return {};
}

Result<bool> MultipartParser::step() {
    switch (state_) {
        case State::preamble:
            return skip_preamble();
        case State::after_delimiter:
            return read_delimiter_end();
        case State::headers:
            return read_headers();
        case State::body:
            return read_body();
        case State::done:
            buffer_.clear();
            return false;
    }
    return false;
}

Result<bool> MultipartParser::skip_preamble() {
    std::size_t at = buffer_.find(delimiter_);
    if (at == std::string::npos) {
        std::size_t keep = std::min(buffer_.size(), delimiter_.size() - 1);
        buffer_.erase(0, buffer_.size() - keep);
        return false;
    }
    buffer_.erase(0, at + delimiter_.size());
    state_ = State::after_delimiter;
    return true;
}

// After a delimiter: "--" closes the body; otherwise optional blanks and CRLF start a part.
Result<bool> MultipartParser::read_delimiter_end() {
    if (buffer_.size() < 2) return false;
    if (buffer_.starts_with("--")) {
        state_ = State::done;
        return true;
    }
    std::size_t line_end = buffer_.find("\r\n");
    if (line_end == std::string::npos) {
        if (buffer_.size() > kMaxBoundary)
            return fail(Code::invalid_argument, "malformed multipart boundary line");
        return false;
    }
    if (!trim(std::string_view(buffer_).substr(0, line_end)).empty())
        return fail(Code::invalid_argument, "malformed multipart boundary line");
    buffer_.erase(0, line_end + 2);
    state_ = State::headers;
    return true;
}

Result<bool> MultipartParser::read_headers() {
    std::size_t end = buffer_.find("\r\n\r\n");
    if (buffer_.starts_with("\r\n")) end = 0;
    if (end == std::string::npos) {
        if (buffer_.size() > kMaxHeaderBytes)
            return fail(Code::invalid_argument, "multipart part headers are too long");
        return false;
    }
    auto headers = parse_part_headers(std::string_view(buffer_).substr(0, end));
    if (!headers) return std::unexpected(headers.error());
    buffer_.erase(0, end == 0 ? 2 : end + 4);
    if (auto ok = callbacks_.begin(*headers); !ok) return std::unexpected(ok.error());
    state_ = State::body;
    return true;
}

Result<bool> MultipartParser::read_body() {
    std::size_t at = buffer_.find(delimiter_);
    if (at == std::string::npos) {
        std::size_t safe = buffer_.size() - std::min(buffer_.size(), delimiter_.size() - 1);
        if (safe == 0) return false;
        if (auto ok = callbacks_.data(std::string_view(buffer_).substr(0, safe)); !ok)
            return std::unexpected(ok.error());
        buffer_.erase(0, safe);
        return false;
    }
    if (at > 0) {
        if (auto ok = callbacks_.data(std::string_view(buffer_).substr(0, at)); !ok)
            return std::unexpected(ok.error());
    }
    buffer_.erase(0, at + delimiter_.size());
    if (auto ok = callbacks_.end(); !ok) return std::unexpected(ok.error());
    state_ = State::after_delimiter;
    return true;
}

}  // namespace vidgen::api
