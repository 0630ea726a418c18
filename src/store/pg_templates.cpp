#include <fmt/format.h>

#include "core/record_cache.hpp"
#include "store/detail/pg_schema.hpp"
#include "store/detail/pg_store.hpp"
#include "store/detail/record_codec.hpp"

namespace vidgen::store::detail {

namespace {

// Every cached version of a template, dropped when the template changes.
std::string template_tag(std::string_view id) {
    return fmt::format("template:{}", id);
}

Result<void> insert_version(PgConnection& c, const Template& tmpl) {
    auto ok = execute(c,
                      "INSERT INTO template_versions (template_id, version, name, spec_json, created) "
                      "VALUES ($1, $2, $3, $4, $5)",
                      tmpl.id, tmpl.version, tmpl.name, tmpl.spec_json, tmpl.created);
    if (!ok) return std::unexpected(ok.error());
    return {};
}

// The latest version number of a live template of this tenant, locked until the transaction ends so two
// updates cannot both write version latest+1.
Result<int> lock_latest_version(PgConnection& c, std::string_view tenant_id, std::string_view id) {
    return query_one<int>(
        c, "template",
        "SELECT latest_version FROM templates WHERE id = $1 AND tenant_id = $2 AND deleted = 0 FOR UPDATE",
        [](const PgRow& row) { return static_cast<int>(row.int64(0)); }, id, tenant_id);
}

}  // namespace

Result<Template> PgStore::create_template(Template tmpl) {
    if (tmpl.id.empty()) tmpl.id = new_id("tpl");
    tmpl.version = 1;
    tmpl.deleted = 0;
    return transact([&](PgConnection& c) -> Result<Template> {
        auto ok = execute(c,
                          "INSERT INTO templates (id, tenant_id, latest_version, created, deleted) "
                          "VALUES ($1, $2, 1, $3, 0)",
                          tmpl.id, tmpl.tenant_id, tmpl.created);
        if (!ok) return std::unexpected(ok.error());
        if (auto version = insert_version(c, tmpl); !version) return std::unexpected(version.error());
        return tmpl;
    });
}

Result<Template> PgStore::update_template(Template tmpl) {
    tmpl.deleted = 0;
    auto updated = transact([&](PgConnection& c) -> Result<Template> {
        auto latest = lock_latest_version(c, tmpl.tenant_id, tmpl.id);
        if (!latest) return std::unexpected(latest.error());
        tmpl.version = *latest + 1;
        auto ok = execute(c, "UPDATE templates SET latest_version = $2 WHERE id = $1", tmpl.id, tmpl.version);
        if (!ok) return std::unexpected(ok.error());
        if (auto version = insert_version(c, tmpl); !version) return std::unexpected(version.error());
        return tmpl;
    });
    if (records_) records_->invalidate(template_tag(tmpl.id));
    return updated;
}

Result<Template> PgStore::get_template(std::string_view tenant_id, std::string_view id,
                                       std::optional<int> version) {
    static const std::string latest_sql = fmt::format(
        "SELECT {} FROM templates t JOIN template_versions v ON v.template_id = t.id "
        "AND v.version = t.latest_version WHERE t.id = $1 AND t.tenant_id = $2 AND t.deleted = 0",
        kTemplateColumns);
    static const std::string version_sql = fmt::format(
        "SELECT {} FROM templates t JOIN template_versions v ON v.template_id = t.id "
        "WHERE t.id = $1 AND t.tenant_id = $2 AND v.version = $3",
        kTemplateColumns);
    auto key = fmt::format("template:{}:{}:{}", tenant_id, id, version ? std::to_string(*version) : "latest");
    return through_cache<Template>(records_, key, {template_tag(id)}, [&] {
        return run([&](PgConnection& c) {
            if (version)
                return query_one<Template>(c, "template", version_sql, read_template, id, tenant_id,
                                           *version);
            return query_one<Template>(c, "template", latest_sql, read_template, id, tenant_id);
        });
    });
}

Result<std::vector<Template>> PgStore::list_templates(std::string_view tenant_id) {
    static const std::string sql = fmt::format(
        "SELECT {} FROM templates t JOIN template_versions v ON v.template_id = t.id "
        "AND v.version = t.latest_version WHERE t.tenant_id = $1 AND t.deleted = 0 ORDER BY t.created, t.id",
        kTemplateColumns);
    return run([&](PgConnection& c) { return query_all<Template>(c, sql, read_template, tenant_id); });
}

Result<void> PgStore::delete_template(std::string_view tenant_id, std::string_view id, TimeMs now) {
    auto deleted = run([&](PgConnection& c) -> Result<void> {
        auto changed = execute(c,
                               "UPDATE templates SET deleted = greatest($3::bigint, 1) WHERE id = $1 AND "
                               "tenant_id = $2 AND deleted = 0",
                               id, tenant_id, now);
        if (!changed) return std::unexpected(changed.error());
        if (*changed == 0) return fail(Code::not_found, "template not found");
        return {};
    });
    if (records_) records_->invalidate(template_tag(id));
    return deleted;
}

}  // namespace vidgen::store::detail
