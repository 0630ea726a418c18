// The platform's commands as a user runs them: serve --print-config, keys create/list/revoke, migrate.
#include <gtest/gtest.h>

#include <regex>

#include "cli_harness.hpp"

namespace vidgen::testing {
namespace {

bool has_line(const std::string& text, const std::string& pattern) {
    return std::regex_search(text, std::regex(pattern));
}

TEST(PlatformCli, PrintConfigShowsEachValueAndWhereItCameFrom) {
    TempDir dir;
    dir.write("vidgen.json", R"({"workers": 3, "compression_level": 4, "listen": "127.0.0.1:7000"})");
    auto result = run_vidgen("serve --config vidgen.json --listen 127.0.0.1:9999 --print-config", dir.path(),
                             "COMPRESSION_LEVEL=9 VIDGEN_WEBHOOK_SECRET=hunter2");
    ASSERT_EQ(result.exit_code, 0) << result.out;
    EXPECT_TRUE(has_line(result.out, R"(listen\s+127\.0\.0\.1:9999\s+flag --listen)")) << result.out;
    EXPECT_TRUE(has_line(result.out, R"(workers\s+3\s+file vidgen\.json)")) << result.out;
    EXPECT_TRUE(has_line(result.out, R"(compression_level\s+9\s+env COMPRESSION_LEVEL)")) << result.out;
    EXPECT_TRUE(has_line(result.out, R"(compression_threshold\s+1024\s+default)")) << result.out;
    EXPECT_TRUE(has_line(result.out, R"(webhook_secret\s+\*\*\*\s+env VIDGEN_WEBHOOK_SECRET)")) << result.out;
    EXPECT_EQ(result.out.find("hunter2"), std::string::npos);
}

TEST(PlatformCli, AWrongSettingStopsTheStartNamingItsSource) {
    TempDir dir;
    auto result = run_vidgen("serve --print-config", dir.path(), "COMPRESSION_LEVEL=12");
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.out.find("COMPRESSION_LEVEL=12 (env): must be 1..11"), std::string::npos) << result.out;
    result = run_vidgen("serve --print-config --workerz 3", dir.path());
    EXPECT_EQ(result.exit_code, 2) << result.out;
}

TEST(PlatformCli, KeysAreCreatedListedAndRevokedWithoutAServer) {
    TempDir dir;
    auto created = run_vidgen("keys create --tenant acme --label ci --data-dir d", dir.path());
    ASSERT_EQ(created.exit_code, 0) << created.out;
    EXPECT_TRUE(has_line(created.out, R"(^vg_[0-9a-f]{64}\n$)")) << created.out;
    auto admin = run_vidgen("keys create --tenant acme --admin --data-dir d", dir.path());
    ASSERT_EQ(admin.exit_code, 0) << admin.out;

    auto listed = run_vidgen("keys list --data-dir d", dir.path());
    ASSERT_EQ(listed.exit_code, 0) << listed.out;
    EXPECT_EQ(listed.out.find(created.out.substr(0, 20)), std::string::npos) << "keys are never shown again";
    std::smatch id;
    ASSERT_TRUE(std::regex_search(listed.out, id, std::regex(R"((\S+)\s+acme\s+-\s+\S+\s+-\s+ci)")))
        << listed.out;
    EXPECT_TRUE(has_line(listed.out, R"(\S+\s+acme\s+admin\s)")) << listed.out;

    auto revoked = run_vidgen("keys revoke " + id[1].str() + " --tenant acme --data-dir d", dir.path());
    EXPECT_EQ(revoked.exit_code, 0) << revoked.out;
    listed = run_vidgen("keys list --tenant acme --data-dir d", dir.path());
    EXPECT_FALSE(has_line(listed.out, R"(\S+\s+acme\s+-\s+\S+\s+-\s+ci)")) << listed.out;

    auto unknown = run_vidgen("keys list --tenant nobody --data-dir d", dir.path());
    EXPECT_EQ(unknown.exit_code, 2) << unknown.out;
}

TEST(PlatformCli, MigratePrintsTheSchemaVersion) {
    TempDir dir;
    auto result = run_vidgen("migrate --data-dir d", dir.path());
    ASSERT_EQ(result.exit_code, 0) << result.out;
    EXPECT_TRUE(has_line(result.out, R"(vidgen\.db: schema version [1-9])")) << result.out;
}

}  // namespace
}  // namespace vidgen::testing
