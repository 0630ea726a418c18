#include "core/error.hpp"

namespace vidgen {

const char* code_name(Code code) {
    switch (code) {
        case Code::invalid_argument:
            return "invalid_argument";
        case Code::not_found:
            return "not_found";
        case Code::unsupported:
            return "unsupported";
        case Code::limit_exceeded:
            return "limit_exceeded";
        case Code::io:
            return "io";
        case Code::canceled:
            return "canceled";
        case Code::internal:
            return "internal";
    }
    return "internal";
}

std::string Error::to_string() const {
    if (pointer.empty()) return message;
    return pointer + ": " + message;
}

}  // namespace vidgen
