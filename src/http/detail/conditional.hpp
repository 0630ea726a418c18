// The HTTP rules for serving a file: byte ranges (Range, If-Range), validators (If-None-Match,
// If-Modified-Since) and HTTP dates. Pure; thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vidgen::http::detail {

struct ByteRange {
    std::uint64_t first = 0;
    std::uint64_t last = 0;  // inclusive
    std::uint64_t size() const { return last - first + 1; }
};

struct RangeRequest {
    bool valid = false;             // false: the header is not a bytes range set; serve the whole file
    std::vector<ByteRange> ranges;  // the satisfiable ranges; empty with valid: 416
};

// Parses "bytes=0-99,200-,-50" against a file of `size` bytes.
RangeRequest parse_range(std::string_view header, std::uint64_t size);

// If-None-Match: true when the list names `etag` (strong comparison) or is "*".
bool etag_matches(std::string_view if_none_match, std::string_view etag);

// "Sun, 06 Nov 1994 08:49:37 GMT" (IMF-fixdate).
std::string http_date(std::chrono::system_clock::time_point time);
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text);

// If-Modified-Since: true when the file has not changed since the given date (seconds precision).
bool not_modified_since(std::string_view if_modified_since,
                        std::chrono::system_clock::time_point last_modified);

// If-Range: true when the range may be served (the validator still names this version).
bool if_range_holds(std::string_view if_range, std::string_view etag,
                    std::chrono::system_clock::time_point last_modified);

}  // namespace vidgen::http::detail
