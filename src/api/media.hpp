// GET|HEAD /api/v1/media/{key}: a content-addressed blob as a file response (the server answers Range,
// If-None-Match and HEAD and sends it with sendfile), cached forever by clients and edges since the bytes
// under a key never change. A key that is malformed or not stored is a 404 alike, so the answer never
// reveals the key format; a malformed key never reaches the disk. Thread-safe.
#pragma once

#include <string_view>

#include "api/context.hpp"
#include "http/message.hpp"

namespace vidgen::api {

http::Response media_response(Context& context, std::string_view key);

}  // namespace vidgen::api
