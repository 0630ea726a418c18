#include "http/detail/compression.hpp"
#include "http/detail/header_text.hpp"

#include <brotli/encode.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace vidgen::http::detail {
namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

// The q-value of one Accept-Encoding element's parameters ("q=0.5"); 1 when absent.
double q_value(std::string_view params) {
    while (!params.empty()) {
        const std::size_t semi = params.find(';');
        std::string_view param = trim_ows(params.substr(0, semi));
        params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
        if (param.size() < 2 || (param[0] != 'q' && param[0] != 'Q') || param[1] != '=') continue;
        double q = 0;
        std::string_view number = trim_ows(param.substr(2));
        if (std::from_chars(number.data(), number.data() + number.size(), q).ec != std::errc()) return 0;
        return std::clamp(q, 0.0, 1.0);
    }
    return 1;
}

Result<std::string> brotli(std::string_view body, int level) {
    std::string out(BrotliEncoderMaxCompressedSize(body.size()), '\0');
    std::size_t size = out.size();
    if (!BrotliEncoderCompress(std::clamp(level, 1, 11), BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, body.size(),
                               reinterpret_cast<const std::uint8_t*>(body.data()), &size,
                               reinterpret_cast<std::uint8_t*>(out.data())))
        return fail(Code::internal, "brotli compression failed");
    out.resize(size);
    return out;
}

Result<std::string> zstd(std::string_view body, int level) {
    std::string out(ZSTD_compressBound(body.size()), '\0');
    const std::size_t size =
        ZSTD_compress(out.data(), out.size(), body.data(), body.size(), std::clamp(level, 1, 19));
    if (ZSTD_isError(size)) return fail(Code::internal, ZSTD_getErrorName(size));
    out.resize(size);
    return out;
}

Result<std::string> gzip(std::string_view body, int level) {
    z_stream stream{};
    if (deflateInit2(&stream, std::clamp(level, 1, 9), Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return fail(Code::internal, "gzip init failed");
    std::string out(deflateBound(&stream, body.size()), '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
    stream.avail_in = static_cast<uInt>(body.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int status = deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    if (status != Z_STREAM_END) return fail(Code::internal, "gzip compression failed");
    return out;
}

}  // namespace

std::string_view encoding_name(Encoding encoding) {
    switch (encoding) {
        case Encoding::br:
            return "br";
        case Encoding::zstd:
            return "zstd";
        case Encoding::gzip:
            return "gzip";
        case Encoding::identity:
            return "";
    }
    return "";
}

Encoding negotiate_encoding(std::string_view accept_encoding, bool brotli_enabled) {
    constexpr std::array kOrder{Encoding::br, Encoding::zstd, Encoding::gzip};
    std::array<double, 3> q{-1, -1, -1};  // -1: not named
    double wildcard = -1;
    while (!accept_encoding.empty()) {
        const std::size_t comma = accept_encoding.find(',');
        std::string_view element = accept_encoding.substr(0, comma);
        accept_encoding =
            comma == std::string_view::npos ? std::string_view() : accept_encoding.substr(comma + 1);
        const std::size_t semi = element.find(';');
        const std::string_view coding = trim_ows(element.substr(0, semi));
        const double value = semi == std::string_view::npos ? 1.0 : q_value(element.substr(semi + 1));
        if (coding == "*") wildcard = value;
        for (std::size_t i = 0; i < kOrder.size(); ++i) {
            if (iequals(coding, encoding_name(kOrder[i])) ||
                (kOrder[i] == Encoding::gzip && iequals(coding, "x-gzip")))
                q[i] = value;
        }
    }
    Encoding best = Encoding::identity;
    double best_q = 0;
    for (std::size_t i = 0; i < kOrder.size(); ++i) {
        if (kOrder[i] == Encoding::br && !brotli_enabled) continue;
        const double value = q[i] < 0 ? wildcard : q[i];
        if (value > best_q) best_q = value, best = kOrder[i];
    }
    return best;
}

bool is_compressible_type(std::string_view content_type) {
    const std::string_view type = trim_ows(content_type.substr(0, content_type.find(';')));
    auto has = [&](std::string_view part) { return type.find(part) != std::string_view::npos; };
    return type.starts_with("text/") || has("json") || has("javascript") || has("xml") || has("svg");
}

Result<std::string> compress(Encoding encoding, std::string_view body, int level) {
    switch (encoding) {
        case Encoding::br:
            return brotli(body, level);
        case Encoding::zstd:
            return zstd(body, level);
        case Encoding::gzip:
            return gzip(body, level);
        case Encoding::identity:
            break;
    }
    return std::string(body);
}

}  // namespace vidgen::http::detail
