#include "api/admin_db.hpp"

#include <boost/json.hpp>

#include "api/errors.hpp"
#include "api/handler_support.hpp"

namespace vidgen::api {
namespace {

namespace json = boost::json;

json::value optional_number(const std::optional<std::int64_t>& value) {
    if (!value) return nullptr;
    return *value;
}

json::array tables_json(const std::vector<store::TableReport>& tables) {
    json::array out;
    for (const auto& table : tables) {
        out.push_back(json::object{{"name", table.name},
                                   {"rows", table.rows},
                                   {"bytes", optional_number(table.bytes)},
                                   {"seq_scans", optional_number(table.seq_scans)},
                                   {"index_scans", optional_number(table.index_scans)}});
    }
    return out;
}

json::array indexes_json(const std::vector<store::IndexReport>& indexes) {
    json::array out;
    for (const auto& index : indexes) {
        out.push_back(json::object{{"name", index.name},
                                   {"table", index.table},
                                   {"bytes", optional_number(index.bytes)},
                                   {"scans", optional_number(index.scans)}});
    }
    return out;
}

json::array statements_json(const std::vector<store::StatementReport>& statements) {
    json::array out;
    for (const auto& statement : statements) {
        out.push_back(json::object{{"query", statement.query},
                                   {"calls", statement.calls},
                                   {"mean_ms", statement.mean_ms},
                                   {"total_ms", statement.total_ms}});
    }
    return out;
}

json::array strings_json(const std::vector<std::string>& strings) {
    json::array out;
    for (const auto& text : strings) out.emplace_back(text);
    return out;
}

http::Response db_analyze_response(store::Store& store) {
    auto analysis = store.analyze_db();
    if (!analysis) return error_response(analysis.error());
    return json_response(200, json::object{{"engine", analysis->engine},
                                           {"database_bytes", analysis->database_bytes},
                                           {"tables", tables_json(analysis->tables)},
                                           {"indexes", indexes_json(analysis->indexes)},
                                           {"slow_statements", statements_json(analysis->slow_statements)},
                                           {"statements_source", analysis->statements_source},
                                           {"suggestions", strings_json(analysis->suggestions)}});
}

http::Response db_optimize_response(store::Store& store) {
    auto done = store.optimize_db();
    if (!done) return error_response(done.error());
    return json_response(200, json::object{{"actions", strings_json(done->actions)}});
}

}  // namespace

void add_db_admin_routes(http::Router& router, store::Store& store) {
    router.add(http::Method::get, "/admin/db/analyze",
               [&store](http::Request&) { return db_analyze_response(store); },
               {.access = http::Access::admin});
    router.add(http::Method::post, "/admin/db/optimize",
               [&store](http::Request&) { return db_optimize_response(store); },
               {.access = http::Access::admin});
}

}  // namespace vidgen::api
