// An incremental multipart/form-data parser (RFC 7578) for asset uploads: the body is fed in chunks as it
// arrives and each part's bytes are handed on at once, so an upload is never held whole in memory; only a
// part's headers and a boundary's length of body are buffered. Not thread-safe: one parser per request.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace vidgen::api {

// The boundary of a "multipart/form-data; boundary=…" Content-Type, or nullopt when the type is not
// multipart/form-data. An empty result: the type is multipart but names no valid boundary.
std::optional<std::string> multipart_boundary(std::string_view content_type);

struct PartHeaders {
    std::string name;          // the form field name
    std::string filename;      // empty when the part is not a file
    std::string content_type;  // empty when the part names none
};

// What the parser tells its caller; an error returned by a callback stops the parse and is returned by
// feed().
struct PartCallbacks {
    std::function<Result<void>(const PartHeaders&)> begin;
    std::function<Result<void>(std::string_view)> data;
    std::function<Result<void>()> end;
};

class MultipartParser {
  public:
    MultipartParser(std::string_view boundary, PartCallbacks callbacks);

    // Parses the next chunk of the body. Errors: Code::invalid_argument for a malformed body.
    Result<void> feed(std::string_view chunk);
    // After the last chunk: Code::invalid_argument unless the closing boundary was seen.
    Result<void> finish() const;

  private:
    enum class State { preamble, after_delimiter, headers, body, done };
    Result<bool> step();  // false: needs more input
    Result<bool> skip_preamble();
    Result<bool> read_delimiter_end();
    Result<bool> read_headers();
    Result<bool> read_body();

    std::string delimiter_;  // "\r\n--" + boundary
    PartCallbacks callbacks_;
    State state_ = State::preamble;
    std::string buffer_;
};

}  // namespace vidgen::api
