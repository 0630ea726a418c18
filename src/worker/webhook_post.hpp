// One webhook POST: a JSON body signed with HMAC-SHA256 over "<timestamp>.<body>" and sent with
//   X-Vidgen-Timestamp: <unix seconds>
//   X-Vidgen-Signature: sha256=<lower-case hex>
// over libcurl, http or https, no redirects followed, no proxy. Unless private targets are allowed, the
// address actually connected to goes through the media input policy's guard (no loopback, private,
// link-local … targets), so a DNS answer cannot point a webhook at the server's own network.
// Thread-safe: pure functions; each call uses its own curl handle.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace vidgen::worker {

// "sha256=" + hex HMAC-SHA256(secret, "<timestamp>.<body>").
std::string webhook_signature(std::string_view secret, std::int64_t timestamp, std::string_view body);

struct WebhookPost {
    std::string url;
    std::string body;            // JSON
    std::string secret;          // HMAC key
    std::int64_t timestamp = 0;  // Unix seconds
    double timeout_seconds = 10;
    bool allow_private_targets = false;
};

// The HTTP status the receiver answered (any status), or an error when no answer came: Code::unsupported
// for a refused URL or target address, Code::io for a network failure or timeout.
Result<int> post_webhook(const WebhookPost& post);

}  // namespace vidgen::worker
