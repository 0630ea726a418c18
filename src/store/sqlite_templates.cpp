#include <fmt/format.h>

#include "store/detail/sqlite_schema.hpp"
#include "store/detail/sqlite_store.hpp"

namespace vidgen::store::detail {

namespace {

Result<void> insert_version(Connection& c, const Template& tmpl) {
    auto stmt = c.prepare(
        "INSERT INTO template_versions (template_id, version, name, spec_json, created) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!stmt) return std::unexpected(stmt.error());
    return stmt->bind(tmpl.id, tmpl.version, tmpl.name, tmpl.spec_json, tmpl.created).run();
}

// The latest version number of a live template of this tenant.
Result<int> latest_version(Connection& c, std::string_view tenant_id, std::string_view id) {
    return select_one<int>(
        c, "template",
        "SELECT latest_version FROM templates WHERE id = ?1 AND tenant_id = ?2 AND deleted = 0",
        [](const Statement& row) { return static_cast<int>(row.int64(0)); }, id, tenant_id);
}

}  // namespace

Result<Template> SqliteStore::create_template(Template tmpl) {
    if (tmpl.id.empty()) tmpl.id = new_id("tpl");
    tmpl.version = 1;
    tmpl.deleted = 0;
    return write([&](Connection& c) -> Result<Template> {
        auto stmt = c.prepare(
            "INSERT INTO templates (id, tenant_id, latest_version, created, deleted) VALUES (?1, ?2, 1, ?3, "
            "0)");
        if (!stmt) return std::unexpected(stmt.error());
        if (auto ok = stmt->bind(tmpl.id, tmpl.tenant_id, tmpl.created).run(); !ok) {
            return std::unexpected(ok.error());
        }
        if (auto ok = insert_version(c, tmpl); !ok) return std::unexpected(ok.error());
        return tmpl;
    });
}

Result<Template> SqliteStore::update_template(Template tmpl) {
    return write([&](Connection& c) -> Result<Template> {
        auto latest = latest_version(c, tmpl.tenant_id, tmpl.id);
        if (!latest) return std::unexpected(latest.error());
        tmpl.version = *latest + 1;
        tmpl.deleted = 0;
        auto stmt = c.prepare("UPDATE templates SET latest_version = ?2 WHERE id = ?1");
        if (!stmt) return std::unexpected(stmt.error());
        if (auto ok = stmt->bind(tmpl.id, tmpl.version).run(); !ok) return std::unexpected(ok.error());
        if (auto ok = insert_version(c, tmpl); !ok) return std::unexpected(ok.error());
        return tmpl;
    });
}

Result<Template> SqliteStore::get_template(std::string_view tenant_id, std::string_view id,
                                           std::optional<int> version) {
    static const std::string latest_sql = fmt::format(
        "SELECT {} FROM templates t JOIN template_versions v ON v.template_id = t.id "
        "AND v.version = t.latest_version WHERE t.id = ?1 AND t.tenant_id = ?2 AND t.deleted = 0",
        kTemplateColumns);
    static const std::string version_sql = fmt::format(
        "SELECT {} FROM templates t JOIN template_versions v ON v.template_id = t.id "
        "WHERE t.id = ?1 AND t.tenant_id = ?2 AND v.version = ?3",
        kTemplateColumns);
    return read([&](Connection& c) {
        if (version)
            return select_one<Template>(c, "template", version_sql, template_row, id, tenant_id, *version);
        return select_one<Template>(c, "template", latest_sql, template_row, id, tenant_id);
    });
}

Result<std::vector<Template>> SqliteStore::list_templates(std::string_view tenant_id) {
    static const std::string sql = fmt::format(
        "SELECT {} FROM templates t JOIN template_versions v ON v.template_id = t.id "
        "AND v.version = t.latest_version WHERE t.tenant_id = ?1 AND t.deleted = 0 ORDER BY t.created, t.id",
        kTemplateColumns);
    return read([&](Connection& c) { return select_all<Template>(c, sql, template_row, tenant_id); });
}

Result<void> SqliteStore::delete_template(std::string_view tenant_id, std::string_view id, TimeMs now) {
    return write([&](Connection& c) -> Result<void> {
        auto stmt = c.prepare(
            "UPDATE templates SET deleted = max(?3, 1) WHERE id = ?1 AND tenant_id = ?2 AND deleted = 0");
        if (!stmt) return std::unexpected(stmt.error());
        if (auto ok = stmt->bind(id, tenant_id, now).run(); !ok) return ok;
        if (stmt->changes() == 0) return fail(Code::not_found, "template not found");
        return {};
    });
}

}  // namespace vidgen::store::detail
