// PostgreSQL's record cache: tenants, template versions and assets read once and then served from the
// cache (a change made behind the store's back proves it), dropped by every write that changes them —
// also when the write comes through another store sharing the cache, as nodes share Redis — and kept
// apart by tenant.
#include "cache/record_cache.hpp"
#include "cache/memory_cache.hpp"
#include "store_fixture.hpp"

namespace vidgen::store::testing {
namespace {

using vidgen::testing::PostgresSession;

class RecordCacheTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto server = vidgen::testing::shared_postgres();
        ASSERT_TRUE(server.has_value()) << server.error().to_string();
        url_ = must((*server)->create_schema());
        admin_ = std::make_unique<PostgresSession>(must(PostgresSession::connect(url_)));
        node_a_ = must(open_store(url_, {.record_cache = records_.get()}));
        node_b_ = must(open_store(url_, {.record_cache = records_.get()}));
        alice_ = must(node_a_->create_tenant({.name = "alice", .created = 1}));
        bob_ = must(node_a_->create_tenant({.name = "bob", .created = 1}));
    }

    Template create_template() {
        return must(node_a_->create_template(
            {.tenant_id = alice_.id, .name = "v1", .spec_json = "{}", .created = 2}));
    }

    // Changes a row without the store knowing, so only a cached copy still shows the old value.
    void behind_the_store(const std::string& sql) { must(admin_->run(sql)); }

    std::string url_;
    std::unique_ptr<PostgresSession> admin_;
    cache::MemoryCache memory_;
    std::unique_ptr<RecordCache> records_ = cache::make_record_cache(memory_, std::chrono::minutes(1));
    std::unique_ptr<Store> node_a_, node_b_;
    Tenant alice_, bob_;
};

TEST_F(RecordCacheTest, ATemplateIsReadOnceThenServedFromTheCache) {
    auto t = create_template();
    EXPECT_EQ(must(node_a_->get_template(alice_.id, t.id)).name, "v1");
    EXPECT_EQ(must(node_a_->get_template(alice_.id, t.id, 1)).name, "v1");
    behind_the_store("UPDATE template_versions SET name = 'changed behind'");
    EXPECT_EQ(must(node_a_->get_template(alice_.id, t.id)).name, "v1");
    EXPECT_EQ(must(node_b_->get_template(alice_.id, t.id, 1)).name, "v1");
    EXPECT_GE(memory_.stats().layers.front().hits, 2u);
}

TEST_F(RecordCacheTest, AWriteThroughAnotherNodeIsSeenAtOnce) {
    auto t = create_template();
    EXPECT_EQ(must(node_a_->get_template(alice_.id, t.id)).version, 1);
    auto v2 = t;
    v2.name = "v2";
    must(node_b_->update_template(v2));
    auto latest = must(node_a_->get_template(alice_.id, t.id));
    EXPECT_EQ(latest.version, 2);
    EXPECT_EQ(latest.name, "v2");

    EXPECT_EQ(must(node_a_->get_template(alice_.id, t.id, 1)).deleted, 0);
    must(node_b_->delete_template(alice_.id, t.id, 99));
    EXPECT_EQ(node_a_->get_template(alice_.id, t.id).error().code, Code::not_found);
    EXPECT_EQ(must(node_a_->get_template(alice_.id, t.id, 1)).deleted, 99);
}

TEST_F(RecordCacheTest, ADeletedAssetIsGoneOnEveryNode) {
    auto asset = must(node_a_->create_asset(
        {.tenant_id = alice_.id, .content_key = "k", .size = 3, .content_type = "image/png", .created = 5}));
    EXPECT_EQ(must(node_a_->get_asset(alice_.id, asset.id)).content_key, "k");
    must(node_b_->delete_asset(alice_.id, asset.id));
    EXPECT_EQ(node_a_->get_asset(alice_.id, asset.id).error().code, Code::not_found);
}

TEST_F(RecordCacheTest, CachedRecordsStayWithTheirTenant) {
    auto t = create_template();
    auto asset = must(node_a_->create_asset({.tenant_id = alice_.id, .content_key = "k", .created = 5}));
    ASSERT_TRUE(node_a_->get_template(alice_.id, t.id));
    ASSERT_TRUE(node_a_->get_asset(alice_.id, asset.id));
    EXPECT_EQ(node_a_->get_template(bob_.id, t.id).error().code, Code::not_found);
    EXPECT_EQ(node_a_->get_template(bob_.id, t.id, 1).error().code, Code::not_found);
    EXPECT_EQ(node_a_->get_asset(bob_.id, asset.id).error().code, Code::not_found);
}

TEST_F(RecordCacheTest, AnEntryThatDoesNotDecodeIsReadFromTheDatabase) {
    EXPECT_EQ(must(node_a_->get_tenant(alice_.id)).name, "alice");
    ASSERT_TRUE(memory_.set("record:tenant:" + alice_.id, "9:garbage"));
    EXPECT_EQ(must(node_a_->get_tenant(alice_.id)).name, "alice");
    ASSERT_TRUE(memory_.set("record:tenant:" + alice_.id, "6:tenant3:bob"));
    EXPECT_EQ(must(node_a_->get_tenant(alice_.id)).name, "alice");
}

}  // namespace
}  // namespace vidgen::store::testing
