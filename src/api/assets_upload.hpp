// Receiving an asset upload: the request body — raw bytes with their Content-Type, or multipart/form-data
// with one file part — is streamed into the blob store chunk by chunk, never held whole in memory. The
// content's type is sniffed from its first bytes (assets_sniff.hpp), whatever the client claimed; content
// of no usable type is refused before anything is stored. Thread-safe: one call per request.
#pragma once

#include <cstdint>
#include <string>

#include "blob/blob_store.hpp"
#include "core/error.hpp"
#include "http/message.hpp"

namespace vidgen::api {

struct ReceivedUpload {
    blob::BlobInfo blob;   // stored under its content key, with the sniffed content type
    std::string filename;  // the file part's filename without folders; empty for a raw body
};

// Reads the body from request.body_reader (or request.body when the route buffers it). Errors:
// Code::unsupported (not an image, video, audio or font), Code::limit_exceeded (over `max_bytes`),
// Code::invalid_argument (empty body, malformed multipart, not exactly one file part), the reader's and
// the blob store's errors. Nothing is stored when it fails.
Result<ReceivedUpload> receive_upload(http::Request& request, blob::BlobStore& blobs,
                                      std::uint64_t max_bytes);

}  // namespace vidgen::api
