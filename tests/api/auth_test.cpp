// API keys: generation, hashing, creation for new and existing tenants, and the Authenticator's answers for
// live, unknown and revoked keys.
#include <gtest/gtest.h>

#include <utility>

#include <set>

#include "api/api_keys.hpp"
#include "api/auth.hpp"
#include "api_fixture.hpp"
#include "core/hash.hpp"

namespace vidgen::api::testing {
namespace {

class AuthTest : public ApiTest {};

TEST_F(AuthTest, GeneratedKeysAreLongRandomAndDistinct) {
    std::set<std::string> keys;
    for (int i = 0; i < 100; ++i) {
        std::string key = generate_api_key();
        ASSERT_EQ(key.size(), 3u + 64u);
        EXPECT_TRUE(key.starts_with("vg_"));
        EXPECT_EQ(key.find_first_not_of("0123456789abcdef", 3), std::string::npos) << key;
        keys.insert(key);
    }
    EXPECT_EQ(keys.size(), 100u);
    EXPECT_EQ(hash_api_key("vg_x"), sha256_hex("vg_x"));
}

TEST_F(AuthTest, CreatesTheTenantOnceAndStoresOnlyTheHash) {
    std::string first = must(create_api_key(*store_, "initech", true, "first start"));
    std::string second = must(create_api_key(*store_, "initech", false, "ci"));
    store::Tenant tenant = must(store_->find_tenant_by_name("initech"));
    auto keys = must(store_->list_api_keys(tenant.id));
    ASSERT_EQ(keys.size(), 2u);
    // Both keys may be created within one millisecond, so the list's order is not theirs.
    if (keys[0].label != "first start") std::swap(keys[0], keys[1]);
    EXPECT_EQ(keys[0].key_hash, sha256_hex(first));
    EXPECT_NE(keys[0].key_hash, first);
    EXPECT_TRUE(keys[0].admin);
    EXPECT_EQ(keys[0].label, "first start");
    EXPECT_EQ(keys[1].key_hash, sha256_hex(second));
    EXPECT_FALSE(keys[1].admin);
    EXPECT_EQ(must(create_api_key(*store_, "acme", false, "")).size(), 67u);
    EXPECT_EQ(must(store_->list_tenants()).size(), 3u) << "acme and globex exist already; one new tenant";
    EXPECT_EQ(create_api_key(*store_, "", false, "").error().code, Code::invalid_argument);
}

TEST_F(AuthTest, AuthenticatorFindsLiveKeysOnly) {
    auto authenticate = make_authenticator(*store_);
    std::string key = must(create_api_key(*store_, "initech", true, "ops"));
    http::Principal principal = must(authenticate(key));
    EXPECT_EQ(principal.tenant_id, must(store_->find_tenant_by_name("initech")).id);
    EXPECT_TRUE(principal.admin);
    EXPECT_FALSE(principal.key_id.empty());
    EXPECT_EQ(must(authenticate(kKeyB)).tenant_id, tenant_b_.id);
    EXPECT_FALSE(must(authenticate(kKeyB)).admin);
    EXPECT_EQ(authenticate("vg_unknown").error().code, Code::not_found);
    EXPECT_EQ(authenticate("").error().code, Code::not_found);
    must(store_->revoke_api_key(principal.tenant_id, principal.key_id, 2000));
    EXPECT_EQ(authenticate(key).error().code, Code::not_found);
}

}  // namespace
}  // namespace vidgen::api::testing
