// Content hashing: a fast 64-bit hash (xxHash3) for cache keys and SHA-256 for content addresses, in one
// call or incrementally over a stream. Free functions are pure and thread-safe; a Sha256 object is used
// by one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX

namespace vidgen {

std::uint64_t fast_hash(std::string_view bytes, std::uint64_t seed = 0);

// Lower-case hex SHA-256 of the bytes.
std::string sha256_hex(std::string_view bytes);

// Incremental SHA-256 for content too large to hold in memory. Move-only.
class Sha256 {
  public:
    Sha256();  // throws std::bad_alloc when OpenSSL cannot make a context
    void update(std::span<const std::byte> bytes);
    void update(std::string_view bytes);
    // Lower-case hex digest of everything fed so far; the object is finished afterwards.
    std::string finish_hex();

  private:
    struct Free {
        void operator()(evp_md_ctx_st* context) const;
    };
    std::unique_ptr<evp_md_ctx_st, Free> context_;
};

}  // namespace vidgen
