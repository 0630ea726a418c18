// Blob keys: "<lower-case hex SHA-256 of the content>[.<extension>]", e.g. "9f86…0a08.mp4".
// A key is accepted only if it matches ^[0-9a-f]{64}(\.[a-z0-9]{1,8})?$, so a valid key can never name a
// path outside its store (no '/', '\\', '..', '%', NUL). Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace vidgen::blob {

// Ok for a well-formed key; Code::invalid_argument otherwise (checked before any disk access).
Result<void> validate_key(std::string_view key);

// File extension for a MIME type, without the dot: "video/mp4" -> "mp4", "image/jpeg; q=1" -> "jpg".
// Case and parameters are ignored. Empty for a type it does not know.
std::string extension_for(std::string_view content_type);

// The content type to store: trimmed, "application/octet-stream" when empty. Code::invalid_argument when
// longer than 255 characters or holding anything but printable ASCII (it ends up in an HTTP header).
Result<std::string> normalise_content_type(std::string_view content_type);

// "<sha256_hex>" plus ".<extension_for(content_type)>" when the type is known.
std::string make_key(std::string_view sha256_hex, std::string_view content_type);

}  // namespace vidgen::blob
