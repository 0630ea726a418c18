// Tenants, api keys, templates with versions, assets and webhook deliveries: CRUD and tenant isolation.
#include "store_fixture.hpp"

namespace vidgen::store::testing {
namespace {

class RecordsTest : public StoreTest {};

TEST_P(RecordsTest, TenantsAreFoundByIdAndNameAndNamesAreUnique) {
    EXPECT_EQ(must(store_->get_tenant(alice_.id)).name, "alice");
    EXPECT_EQ(must(store_->find_tenant_by_name("bob")).id, bob_.id);
    EXPECT_EQ(must(store_->list_tenants()).size(), 2u);
    EXPECT_EQ(store_->get_tenant("nobody").error().code, Code::not_found);
    EXPECT_EQ(store_->create_tenant({.id = "", .name = "alice", .created = 2}).error().code,
              Code::invalid_argument);
}

TEST_P(RecordsTest, ApiKeysAreFoundByHashUntilRevoked) {
    ApiKey key{
        .id = "", .tenant_id = alice_.id, .key_hash = "ab12", .label = "ci", .admin = true, .created = 5};
    auto created = must(store_->create_api_key(key));
    auto found = must(store_->find_api_key("ab12"));
    EXPECT_EQ(found.id, created.id);
    EXPECT_EQ(found.tenant_id, alice_.id);
    EXPECT_TRUE(found.admin);
    EXPECT_EQ(store_->revoke_api_key(bob_.id, created.id, 9).error().code, Code::not_found);
    must(store_->revoke_api_key(alice_.id, created.id, 9));
    EXPECT_EQ(store_->find_api_key("ab12").error().code, Code::not_found);
    auto listed = must(store_->list_api_keys(alice_.id));
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].revoked, 9);
    EXPECT_TRUE(must(store_->list_api_keys(bob_.id)).empty());
}

TEST_P(RecordsTest, ApiKeyOfUnknownTenantIsNotFound) {
    auto result = store_->create_api_key({.id = "", .tenant_id = "nobody", .key_hash = "cd", .created = 1});
    EXPECT_EQ(result.error().code, Code::not_found);
}

TEST_P(RecordsTest, TemplateUpdatesAddVersionsAndOldOnesStayReadable) {
    auto v1 = must(
        store_->create_template({.tenant_id = alice_.id, .name = "promo", .spec_json = "{1}", .created = 1}));
    EXPECT_EQ(v1.version, 1);
    auto v2 = must(store_->update_template(
        {.id = v1.id, .tenant_id = alice_.id, .name = "promo 2", .spec_json = "{2}", .created = 2}));
    EXPECT_EQ(v2.version, 2);
    EXPECT_EQ(must(store_->get_template(alice_.id, v1.id)).spec_json, "{2}");
    EXPECT_EQ(must(store_->get_template(alice_.id, v1.id, 1)).spec_json, "{1}");
    EXPECT_EQ(store_->get_template(alice_.id, v1.id, 3).error().code, Code::not_found);
    auto listed = must(store_->list_templates(alice_.id));
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].name, "promo 2");
}

TEST_P(RecordsTest, DeletedTemplateIsGoneButItsVersionsRemainForQueuedJobs) {
    auto t =
        must(store_->create_template({.tenant_id = alice_.id, .name = "a", .spec_json = "{}", .created = 1}));
    must(store_->delete_template(alice_.id, t.id, 7));
    EXPECT_EQ(store_->get_template(alice_.id, t.id).error().code, Code::not_found);
    EXPECT_EQ(must(store_->get_template(alice_.id, t.id, 1)).deleted, 7);
    EXPECT_TRUE(must(store_->list_templates(alice_.id)).empty());
    EXPECT_EQ(store_->update_template({.id = t.id, .tenant_id = alice_.id, .name = "b"}).error().code,
              Code::not_found);
    EXPECT_EQ(store_->delete_template(alice_.id, t.id, 8).error().code, Code::not_found);
}

TEST_P(RecordsTest, AnotherTenantsTemplateIsNotFoundForEveryCall) {
    auto t =
        must(store_->create_template({.tenant_id = alice_.id, .name = "a", .spec_json = "{}", .created = 1}));
    EXPECT_EQ(store_->get_template(bob_.id, t.id).error().code, Code::not_found);
    EXPECT_EQ(store_->get_template(bob_.id, t.id, 1).error().code, Code::not_found);
    EXPECT_EQ(store_->update_template({.id = t.id, .tenant_id = bob_.id, .name = "x"}).error().code,
              Code::not_found);
    EXPECT_EQ(store_->delete_template(bob_.id, t.id, 2).error().code, Code::not_found);
    EXPECT_TRUE(must(store_->list_templates(bob_.id)).empty());
    Job job = job_for(bob_, 1);
    job.template_id = t.id;
    EXPECT_EQ(store_->insert_job(job).error().code, Code::not_found);
    EXPECT_EQ(must(store_->get_template(alice_.id, t.id)).version, 1);
}

TEST_P(RecordsTest, AssetsAreCreatedListedAndDeletedPerTenant) {
    Asset asset{.tenant_id = alice_.id,
                .content_key = "sha256/ab",
                .size = 42,
                .content_type = "image/png",
                .name = "logo.png",
                .created = 3};
    auto created = must(store_->create_asset(asset));
    auto found = must(store_->get_asset(alice_.id, created.id));
    EXPECT_EQ(found.content_key, "sha256/ab");
    EXPECT_EQ(found.size, 42);
    EXPECT_EQ(found.name, "logo.png");
    EXPECT_EQ(store_->get_asset(bob_.id, created.id).error().code, Code::not_found);
    EXPECT_EQ(store_->delete_asset(bob_.id, created.id).error().code, Code::not_found);
    EXPECT_TRUE(must(store_->list_assets(bob_.id)).empty());
    EXPECT_EQ(must(store_->list_assets(alice_.id)).size(), 1u);
    EXPECT_EQ(must(store_->delete_asset(alice_.id, created.id)).content_key, "sha256/ab");
    EXPECT_EQ(store_->get_asset(alice_.id, created.id).error().code, Code::not_found);
}

TEST_P(RecordsTest, WebhookDeliveriesBelongToTheJobsTenant) {
    auto job = insert(alice_, 10);
    WebhookDelivery d{.tenant_id = alice_.id,
                      .job_id = job.id,
                      .url = "https://example.test/hook",
                      .event = "job.done",
                      .attempt = 1,
                      .status_code = 500,
                      .error = "server error",
                      .created = 11};
    must(store_->record_delivery(d));
    d.attempt = 2;
    d.status_code = 200;
    d.error.clear();
    d.created = 12;
    must(store_->record_delivery(d));
    auto listed = must(store_->list_deliveries(alice_.id, job.id));
    ASSERT_EQ(listed.size(), 2u);
    EXPECT_EQ(listed[0].status_code, 500);
    EXPECT_EQ(listed[1].status_code, 200);
    EXPECT_TRUE(must(store_->list_deliveries(bob_.id, job.id)).empty());
    d.tenant_id = bob_.id;
    EXPECT_EQ(store_->record_delivery(d).error().code, Code::not_found);
}

INSTANTIATE_TEST_SUITE_P(Backends, RecordsTest, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace vidgen::store::testing
