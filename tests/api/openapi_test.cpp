// docs/openapi.yaml and the Router agree: every route is documented with its method, and every documented
// path and method is a route (HEAD is answered by a GET route).
#include <gtest/gtest.h>
#include <yaml.h>

#include <cstdio>
#include <memory>
#include <set>

#include "api_fixture.hpp"

namespace vidgen::api::testing {
namespace {

using Endpoint = std::pair<std::string, std::string>;  // method (lower case), path pattern

std::string scalar(yaml_node_t* node) {
    if (!node || node->type != YAML_SCALAR_NODE) return {};
    return {reinterpret_cast<const char*>(node->data.scalar.value), node->data.scalar.length};
}

// The value of `key` in a mapping node, or null.
yaml_node_t* member(yaml_document_t& document, yaml_node_t* node, std::string_view key) {
    if (!node || node->type != YAML_MAPPING_NODE) return nullptr;
    for (auto* pair = node->data.mapping.pairs.start; pair < node->data.mapping.pairs.top; ++pair) {
        if (scalar(yaml_document_get_node(&document, pair->key)) == key) {
            return yaml_document_get_node(&document, pair->value);
        }
    }
    return nullptr;
}

std::set<Endpoint> documented_endpoints() {
    std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(VIDGEN_SOURCE_DIR "/docs/openapi.yaml", "rb"),
                                               &std::fclose);
    EXPECT_TRUE(file) << "cannot open docs/openapi.yaml";
    if (!file) return {};
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, file.get());
    yaml_document_t document;
    bool loaded = yaml_parser_load(&parser, &document);
    EXPECT_TRUE(loaded) << "openapi.yaml is not valid YAML: " << (parser.problem ? parser.problem : "");
    std::set<Endpoint> endpoints;
    if (loaded) {
        yaml_node_t* paths = member(document, yaml_document_get_root_node(&document), "paths");
        EXPECT_TRUE(paths && paths->type == YAML_MAPPING_NODE);
        for (auto* pair = paths ? paths->data.mapping.pairs.start : nullptr;
             paths && pair < paths->data.mapping.pairs.top; ++pair) {
            std::string path = scalar(yaml_document_get_node(&document, pair->key));
            yaml_node_t* item = yaml_document_get_node(&document, pair->value);
            for (const char* method : {"get", "put", "post", "delete", "patch", "head", "options"}) {
                if (member(document, item, method)) endpoints.emplace(method, path);
            }
        }
        yaml_document_delete(&document);
    }
    yaml_parser_delete(&parser);
    return endpoints;
}

std::string lower_method(http::Method method) {
    std::string name = http::method_name(method);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return name;
}

class OpenApiTest : public ApiTest {};

TEST_F(OpenApiTest, EveryRouteIsDocumentedAndEveryDocumentedPathIsARoute) {
    std::set<Endpoint> routes;
    for (const auto& route : router_.routes()) routes.emplace(lower_method(route.method), route.pattern);
    std::set<Endpoint> documented = documented_endpoints();
    for (const auto& [method, path] : routes) {
        EXPECT_TRUE(documented.contains({method, path}))
            << method << " " << path << " is not in openapi.yaml";
    }
    for (const auto& [method, path] : documented) {
        bool routed = routes.contains({method, path}) || (method == "head" && routes.contains({"get", path}));
        EXPECT_TRUE(routed) << method << " " << path << " is documented but not routed";
    }
}

}  // namespace
}  // namespace vidgen::api::testing
