// The dashboard's files (web/*, plus examples.json made from examples/*/spec.json and data.json), compiled
// into the binary by cmake/EmbedWeb.cmake. Each has its content type, a weak ETag from its SHA-256 and a
// content-hashed name ("app.3f2a1b9c0d4e.js", the name index.html refers to it by). Immutable static data:
// thread-safe.
#pragma once

#include <span>
#include <string_view>

namespace vidgen::api {

struct WebAsset {
    std::string_view name;          // "app.js", "index.html"
    std::string_view hashed_name;   // "app.3f2a1b9c0d4e.js"; empty for index.html
    std::string_view content_type;  // "text/javascript; charset=utf-8"
    std::string_view etag;          // W/"…", quoted
    std::string_view bytes;
};

std::span<const WebAsset> web_assets();

}  // namespace vidgen::api
