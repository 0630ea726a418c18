#include "api/auth.hpp"

#include "api/api_keys.hpp"

namespace vidgen::api {

http::Authenticator make_authenticator(store::Store& store) {
    return [&store](std::string_view api_key) -> Result<http::Principal> {
        if (api_key.empty()) return fail(Code::not_found, "no API key");
        auto key = store.find_api_key(hash_api_key(api_key));
        if (!key) return std::unexpected(key.error());
        if (key->revoked != 0) return fail(Code::not_found, "the API key was revoked");
        return http::Principal{.tenant_id = key->tenant_id, .key_id = key->id, .admin = key->admin};
    };
}

}  // namespace vidgen::api
