// Opening stores: URL schemes, migrations applied once, data surviving a reopen.
#include "core/metrics.hpp"
#include "core/scratch_dir.hpp"
#include "store_fixture.hpp"

namespace vidgen::store::testing {
namespace {

class OpenTest : public StoreTest {};

TEST_P(OpenTest, ReopeningAppliesNoMigrationTwiceAndKeepsTheData) {
    int version = must(store_->schema_version());
    EXPECT_GE(version, 1);
    auto job = insert(alice_, 10);
    store_.reset();
    store_ = must(open_store(url_));
    EXPECT_EQ(must(store_->schema_version()), version);
    EXPECT_EQ(must(store_->get_tenant(alice_.id)).name, "alice");
    EXPECT_EQ(must(store_->get_job(alice_.id, job.id)).spec_json, job.spec_json);
    auto again = must(open_store(url_));
    EXPECT_EQ(must(again->list_tenants()).size(), 2u);
}

TEST_P(OpenTest, TwoStoresOnOneDatabaseSeeEachOthersWrites) {
    auto other = must(open_store(url_));
    auto job = insert(alice_, 10);
    EXPECT_EQ(must(other->get_job(alice_.id, job.id)).id, job.id);
}

INSTANTIATE_TEST_SUITE_P(Backends, OpenTest, ::testing::ValuesIn(backends()), backend_name);

TEST(OpenStore, SqliteCallsAreTimedInTheMetricsRegistry) {
    auto dir = ScratchDir::create("store-metrics");
    ASSERT_TRUE(dir);
    MetricsRegistry metrics;
    StoreOptions options;
    options.metrics = &metrics;
    auto store = open_store("sqlite://" + (dir->path() / "s.db").string(), options);
    ASSERT_TRUE(store) << store.error().to_string();
    ASSERT_TRUE((*store)->create_tenant({.name = "acme"}));
    ASSERT_TRUE((*store)->list_tenants());
    ASSERT_TRUE((*store)->list_tenants());
    auto text = metrics.render();
    EXPECT_NE(text.find(R"(vidgen_db_call_duration_seconds_count{backend="sqlite",kind="write"} 1)"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find(R"(vidgen_db_call_duration_seconds_count{backend="sqlite",kind="read"} 2)"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find(R"(vidgen_db_connections_in_use{backend="sqlite"} 0)"), std::string::npos) << text;
}

TEST(OpenStore, UnknownSchemesAreUnsupported) {
    EXPECT_EQ(open_store("mysql://localhost/db").error().code, Code::unsupported);
    EXPECT_EQ(open_store("/tmp/plain/path.db").error().code, Code::unsupported);
    EXPECT_EQ(open_store("sqlite://").error().code, Code::invalid_argument);
}

TEST(OpenStore, UnwritablePathIsAnIoError) {
    auto result = open_store("sqlite:///nonexistent-dir-for-vidgen/sub/store.db");
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, Code::io);
}

}  // namespace
}  // namespace vidgen::store::testing
