// One request on its way through the server: the Request handed to the handler plus what the middleware
// learned about it (route, negotiated encoding, response cache key). It moves between the session's
// strand and the handler pool by posting, never shared by two threads at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "http/detail/compression.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

namespace vidgen::http::detail {

struct Exchange {
    Request request;
    const Route* route = nullptr;
    Encoding encoding = Encoding::identity;
    std::string api_key;    // as presented, for routes that need one
    std::string cache_key;  // empty: the response cache does not apply
    std::chrono::steady_clock::time_point started;
    std::uint64_t raw_body_bytes = 0;  // the body's size before compression, once finalized
    bool limit_exceeded = false;       // a streamed body went past the route's limit
};

}  // namespace vidgen::http::detail
