// The untrusted-input policy: the one place that decides what media vidgen will open and fetch.
// Local files are opened with the `file` protocol only; remote sources are https:// URLs fetched to a
// local file first, through a guard that refuses loopback, private, link-local and other non-public
// addresses after DNS resolution, with size and time limits. Demuxers are whitelisted (no playlists,
// concat lists, image2 sequences or other formats that open further files).
// Thread-safe: pure functions and immutable configuration.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace vidgen::media {

struct InputLimits {
    std::uint64_t max_file_bytes = 2ull << 30;     // a local or fetched source
    std::uint64_t max_image_pixels = 100'000'000;  // width × height an image may claim (e.g. 10000×10000)
    int max_image_side = 16384;
    int max_video_side = 8192;
    double fetch_timeout_seconds = 30;
    bool allow_private_addresses = false;  // for tests and trusted networks only
    std::filesystem::path fetch_ca_file;   // PEM bundle to trust for fetches instead of the system's
};

// Comma-separated demuxer names libavformat may use for untrusted input (e.g.
// "mov,mp4,...,matroska,webm,wav").
const char* allowed_demuxers();

// Checks that `path` is a regular file within limits (not a device, fifo or directory).
Result<std::uintmax_t> check_local_file(const std::filesystem::path& path, const InputLimits& limits);

// True for an address that must never be fetched: loopback, private (RFC 1918, fc00::/7), link-local,
// unspecified, multicast, broadcast, CGNAT, IPv4-mapped forms of those. `address` is numeric (v4 or v6).
bool is_forbidden_address(std::string_view address);

// Downloads an https:// URL into `dest` (a file path) through the guard above. Refuses other schemes
// (http, file, ftp, data, concat, …), redirects to forbidden addresses, bodies over the limit, and
// transfers slower than the timeout.
Result<std::filesystem::path> fetch_https(std::string_view url, const std::filesystem::path& dest,
                                          const InputLimits& limits);

}  // namespace vidgen::media
