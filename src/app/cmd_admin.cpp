// `vidgen keys create|list|revoke` and `vidgen migrate`: the records database managed straight, no server
// needed.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>

#include "api/api_keys.hpp"
#include "app/commands.hpp"
#include "app/serve_config.hpp"
#include "queue/job_json.hpp"
#include "store/store.hpp"

namespace vidgen::app {
namespace {

store::TimeMs now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int print_error(const Error& error) {
    fmt::print(stderr, "error: {}\n", error.to_string());
    return error.code == Code::not_found || error.code == Code::invalid_argument ? kUsage : kRenderFailed;
}

int create_key(store::Store& store, const KeysArgs& args) {
    auto key = api::create_api_key(store, args.tenant, args.admin, args.label);
    if (!key) return print_error(key.error());
    fmt::print("{}\n", *key);
    return kOk;
}

void print_keys(const store::Tenant& tenant, const std::vector<store::ApiKey>& keys) {
    for (const auto& key : keys) {
        fmt::print("{:<24} {:<20} {:<6} {:<24} {:<24} {}\n", key.id, tenant.name, key.admin ? "admin" : "-",
                   queue::iso8601_utc(key.created), key.revoked ? queue::iso8601_utc(key.revoked) : "-",
                   key.label);
    }
}

int list_keys(store::Store& store, const KeysArgs& args) {
    std::vector<store::Tenant> tenants;
    if (args.tenant.empty()) {
        auto all = store.list_tenants();
        if (!all) return print_error(all.error());
        tenants = std::move(*all);
    } else {
        auto one = store.find_tenant_by_name(args.tenant);
        if (!one) return print_error(one.error());
        tenants.push_back(std::move(*one));
    }
    fmt::print("{:<24} {:<20} {:<6} {:<24} {:<24} {}\n", "ID", "TENANT", "ADMIN", "CREATED", "REVOKED",
               "LABEL");
    for (const auto& tenant : tenants) {
        auto keys = store.list_api_keys(tenant.id);
        if (!keys) return print_error(keys.error());
        print_keys(tenant, *keys);
    }
    return kOk;
}

int revoke_key(store::Store& store, const KeysArgs& args) {
    auto tenant = store.find_tenant_by_name(args.tenant);
    if (!tenant) return print_error(tenant.error());
    if (auto revoked = store.revoke_api_key(tenant->id, args.key_id, now_ms()); !revoked) {
        return print_error(revoked.error());
    }
    fmt::print(stderr, "revoked {}\n", args.key_id);
    return kOk;
}

}  // namespace

int run_keys(const KeysArgs& args, const Settings& settings) {
    auto store = open_records(settings);
    if (!store) return print_error(store.error());
    if (args.action == "create") return create_key(**store, args);
    if (args.action == "list") return list_keys(**store, args);
    return revoke_key(**store, args);
}

int run_migrate(const Settings& settings) {
    auto store = open_records(settings);
    if (!store) return print_error(store.error());
    auto version = (*store)->schema_version();
    if (!version) return print_error(version.error());
    fmt::print("{}: schema version {}\n", mask_url_secrets(database_url(settings)), *version);
    return kOk;
}

}  // namespace vidgen::app
