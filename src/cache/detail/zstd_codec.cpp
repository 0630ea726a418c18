#include "cache/detail/zstd_codec.hpp"

#include <zstd.h>

#include <memory>

namespace vidgen::cache::detail {
namespace {

struct CompressContextFree {
    void operator()(ZSTD_CCtx* context) const { ZSTD_freeCCtx(context); }
};
struct DecompressContextFree {
    void operator()(ZSTD_DCtx* context) const { ZSTD_freeDCtx(context); }
};

ZSTD_CCtx* thread_compress_context() {
    thread_local std::unique_ptr<ZSTD_CCtx, CompressContextFree> context(ZSTD_createCCtx());
    return context.get();
}

ZSTD_DCtx* thread_decompress_context() {
    thread_local std::unique_ptr<ZSTD_DCtx, DecompressContextFree> context(ZSTD_createDCtx());
    return context.get();
}

}  // namespace

std::optional<std::string> zstd_compress(std::string_view raw, int level) {
    ZSTD_CCtx* context = thread_compress_context();
    if (context == nullptr) return std::nullopt;
    std::string frame(ZSTD_compressBound(raw.size()), '\0');
    const std::size_t size =
        ZSTD_compressCCtx(context, frame.data(), frame.size(), raw.data(), raw.size(), level);
    if (ZSTD_isError(size) || size >= raw.size()) return std::nullopt;
    frame.resize(size);
    frame.shrink_to_fit();
    return frame;
}

Result<std::string> zstd_decompress(std::string_view frame, std::size_t raw_size) {
    ZSTD_DCtx* context = thread_decompress_context();
    if (context == nullptr) return fail(Code::internal, "zstd: cannot create a decompression context");
    std::string raw(raw_size, '\0');
    const std::size_t size = ZSTD_decompressDCtx(context, raw.data(), raw.size(), frame.data(), frame.size());
    if (ZSTD_isError(size)) return fail(Code::internal, std::string("zstd: ") + ZSTD_getErrorName(size));
    if (size != raw_size) return fail(Code::internal, "zstd: value decompressed to an unexpected size");
    return raw;
}

}  // namespace vidgen::cache::detail
