// One store test suite for every backend: a Backend makes the URL of a fresh, empty store, and each
// suite is instantiated over backends(): SQLite in the test's scratch dir, and a new database on the test
// binary's PostgreSQL server (started on first use; a server that cannot start fails the test).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "core/scratch_dir.hpp"
#include "store/store.hpp"
#include "support/postgres_server.hpp"

namespace vidgen::store::testing {

struct Backend {
    std::string name;
    std::function<Result<std::string>(const std::filesystem::path& scratch)> fresh_url;
};

inline Result<std::string> fresh_postgres_database() {
    auto server = vidgen::testing::shared_postgres();
    if (!server) return std::unexpected(server.error());
    return (*server)->create_schema();
}

inline std::vector<Backend> backends() {
    return {{"sqlite",
             [](const std::filesystem::path& dir) -> Result<std::string> {
                 return "sqlite://" + (dir / "store.db").string();
             }},
            {"postgres", [](const std::filesystem::path&) { return fresh_postgres_database(); }}};
}

// Names the parameter in test output and ctest names ("GetParam() = postgres").
inline void PrintTo(const Backend& backend, std::ostream* out) {
    *out << backend.name;
}

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
    return info.param.name;
}

// The value of a Result, or a test failure naming its error (value() throws, gtest reports it).
template <typename T>
T must(Result<T> result) {
    EXPECT_TRUE(result.has_value()) << result.error().to_string();
    if constexpr (std::is_void_v<T>) {
        result.value();
    } else {
        return std::move(result.value());
    }
}

class StoreTest : public ::testing::TestWithParam<Backend> {
  protected:
    void SetUp() override {
        scratch_ = std::make_unique<ScratchDir>(must(ScratchDir::create("vidgen-store-test")));
        url_ = must(GetParam().fresh_url(scratch_->path()));
        store_ = must(open_store(url_));
        alice_ = must(store_->create_tenant({.id = "", .name = "alice", .created = 1000}));
        bob_ = must(store_->create_tenant({.id = "", .name = "bob", .created = 1000}));
    }

    // A queued inline-spec job of `tenant` created at `created`.
    static Job job_for(const Tenant& tenant, TimeMs created, int priority = 0) {
        Job job;
        job.tenant_id = tenant.id;
        job.spec_json = R"({"timeline":{"tracks":[]}})";
        job.data_json = "{}";
        job.priority = priority;
        job.created = created;
        return job;
    }

    Job insert(const Tenant& tenant, TimeMs created, int priority = 0) {
        return must(store_->insert_job(job_for(tenant, created, priority))).job;
    }

    std::unique_ptr<ScratchDir> scratch_;
    std::string url_;
    std::unique_ptr<Store> store_;
    Tenant alice_;
    Tenant bob_;
};

}  // namespace vidgen::store::testing
