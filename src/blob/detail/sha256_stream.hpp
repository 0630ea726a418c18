// Incremental SHA-256 over a stream of byte chunks (OpenSSL EVP). Move-only; one thread at a time.
#pragma once

#include <openssl/evp.h>

#include <cstddef>
#include <memory>
#include <span>
#include <string>

namespace vidgen::blob::detail {

class Sha256Stream {
  public:
    Sha256Stream();
    void update(std::span<const std::byte> bytes);
    // Lower-case hex digest of everything fed so far; the stream is finished afterwards.
    std::string finish_hex();

  private:
    struct Free {
        void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
    };
    std::unique_ptr<EVP_MD_CTX, Free> context_;
};

}  // namespace vidgen::blob::detail
