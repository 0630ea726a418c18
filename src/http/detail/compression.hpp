// Content-Encoding for responses: picks br, zstd or gzip from Accept-Encoding q-values and compresses a
// body with it. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace vidgen::http::detail {

enum class Encoding { identity, br, zstd, gzip };

// "br", "zstd", "gzip" or "" for identity.
std::string_view encoding_name(Encoding encoding);

// The encoding the client accepts with the highest q-value (ties: br, then zstd, then gzip); identity when
// it accepts none of them. q=0 refuses an encoding, "*" stands for every encoding it does not name.
Encoding negotiate_encoding(std::string_view accept_encoding, bool brotli_enabled);

// JSON, text/*, JavaScript, SVG and XML: the kinds worth compressing.
bool is_compressible_type(std::string_view content_type);

// `level` is on brotli's scale 1..11; gzip and zstd use the nearest of their own.
Result<std::string> compress(Encoding encoding, std::string_view body, int level);

}  // namespace vidgen::http::detail
