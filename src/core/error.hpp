// Errors as values: every fallible call returns Result<T> = std::expected<T, Error>.
// An Error carries a code, a human message and, for user input, the JSON Pointer of the field at fault.
// Value type; thread-compatible.
#pragma once

#include <expected>
#include <string>
#include <utility>
#include <vector>

namespace vidgen {

enum class Code {
    invalid_argument,  // the user's input is wrong; `pointer` says where
    not_found,         // a file, font, asset or record does not exist
    unsupported,       // a format, codec or protocol that is not allowed
    limit_exceeded,    // input larger, longer or deeper than the configured limits
    io,                // reading or writing failed
    canceled,          // the caller asked to stop
    internal,          // a bug or a library failure that is not the user's doing
};

// Short stable name of a code, e.g. "invalid_argument"; used in JSON errors and exit codes.
const char* code_name(Code code);

struct Error {
    Code code = Code::internal;
    std::string message;
    std::string pointer;  // JSON Pointer into the spec ("/timeline/tracks/0/clips/3/start"), or empty

    // "/timeline/tracks/0: must not be empty", or the message alone when there is no pointer.
    std::string to_string() const;
};

template <typename T>
using Result = std::expected<T, Error>;

// Named constructors so call sites read as sentences: `return fail(Code::not_found, "no such font")`.
inline std::unexpected<Error> fail(Code code, std::string message, std::string pointer = {}) {
    return std::unexpected(Error{code, std::move(message), std::move(pointer)});
}

// Several problems found at once (validation reports every one, not only the first).
struct Problems {
    std::vector<Error> errors;
    bool empty() const { return errors.empty(); }
};

}  // namespace vidgen
