// A blocking HTTP client for tests (libcurl): one request per call, no automatic decoding or redirects.
// Thread-safe: each call uses its own handle.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace vidgen::testing {

struct Reply {
    long status = 0;  // 0: no answer (connection refused, timeout)
    std::string body;
    std::map<std::string, std::string> headers;  // lower-case names, last value
    std::string header(const std::string& name) const {
        auto found = headers.find(name);
        return found == headers.end() ? std::string() : found->second;
    }
};

struct Call {
    std::string method = "GET";
    std::vector<std::string> headers;  // "Name: value"
    std::string body;
    long timeout_ms = 10'000;
};

Reply fetch(const std::string& url, const Call& call = {});

}  // namespace vidgen::testing
