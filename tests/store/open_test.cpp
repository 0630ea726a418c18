// Opening stores: URL schemes, migrations applied once, data surviving a reopen.
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
