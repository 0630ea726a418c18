#include "api/api_keys.hpp"

#include <openssl/rand.h>

#include <array>
#include <chrono>
#include <stdexcept>

#include "core/hash.hpp"

namespace vidgen::api {
namespace {

constexpr std::size_t kKeyBytes = 32;

store::TimeMs now_ms() {
    auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
    return std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count();
}

// The tenant named `name`, created now when missing. A concurrent creation of the same name makes our
// insert fail on the unique name; the tenant the other caller created is then returned.
Result<store::Tenant> find_or_create_tenant(store::Store& store, std::string_view name) {
    auto found = store.find_tenant_by_name(name);
    if (found || found.error().code != Code::not_found) return found;
    auto created = store.create_tenant({.id = {}, .name = std::string(name), .created = now_ms()});
    if (created) return created;
    auto again = store.find_tenant_by_name(name);
    return again ? again : created;
}

}  // namespace

std::string generate_api_key() {
    std::array<unsigned char, kKeyBytes> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
        throw std::runtime_error("no randomness for an API key (RAND_bytes failed)");
    static constexpr char kHex[] = "0123456789abcdef";
    std::string key = "vg_";
    for (unsigned char byte : bytes) {
        key += kHex[byte >> 4];
        key += kHex[byte & 0x0f];
    }
    return key;
}

std::string hash_api_key(std::string_view key) {
    return sha256_hex(key);
}

Result<std::string> create_api_key(store::Store& store, std::string_view tenant_name, bool admin,
                                   std::string_view label) {
    if (tenant_name.empty()) return fail(Code::invalid_argument, "a tenant needs a name");
    auto tenant = find_or_create_tenant(store, tenant_name);
    if (!tenant) return std::unexpected(tenant.error());
    std::string key = generate_api_key();
    store::ApiKey record{.id = {},
                         .tenant_id = tenant->id,
                         .key_hash = hash_api_key(key),
                         .label = std::string(label),
                         .admin = admin,
                         .created = now_ms(),
                         .revoked = 0};
    if (auto stored = store.create_api_key(std::move(record)); !stored)
        return std::unexpected(stored.error());
    return key;
}

}  // namespace vidgen::api
