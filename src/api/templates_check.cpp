#include "api/templates_check.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "api/jobs_input.hpp"
#include "spec/merge.hpp"

namespace vidgen::api {
namespace {

namespace json = boost::json;

// "~" and "/" escaped as a JSON Pointer token.
std::string pointer_token(std::string_view key) {
    std::string out;
    for (char c : key) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out += c;
        }
    }
    return out;
}

// A string that is one placeholder with no default: "{{name}}".
bool is_bare_placeholder(std::string_view text) {
    return text.starts_with("{{") && text.ends_with("}}") && text.find("{{", 2) == std::string_view::npos &&
           text.find('|') == std::string_view::npos;
}

void collect_bare(const json::value& value, std::string& pointer, std::vector<std::string>& found) {
    if (const auto* text = value.if_string()) {
        if (is_bare_placeholder(*text)) found.push_back(pointer);
        return;
    }
    auto visit = [&](const json::value& child, const std::string& token) {
        auto size = pointer.size();
        pointer += "/" + token;
        collect_bare(child, pointer, found);
        pointer.resize(size);
    };
    if (const auto* object = value.if_object()) {
        for (const auto& [key, child] : *object) visit(child, pointer_token(key));
    } else if (const auto* array = value.if_array()) {
        for (std::size_t i = 0; i < array->size(); ++i) visit((*array)[i], std::to_string(i));
    }
}

bool under(std::string_view pointer, std::string_view root) {
    return pointer == root ||
           (pointer.starts_with(root) && pointer.size() > root.size() && pointer[root.size()] == '/');
}

}  // namespace

std::vector<Error> check_template_spec(const json::value& spec, const Context& context,
                                       std::string_view prefix) {
    json::object stand_ins;
    for (const auto& field : spec::list_merge_fields(spec)) {
        if (!field.fallback) stand_ins[field.name] = field.name;
    }
    std::vector<std::string> bare;
    std::string pointer;
    collect_bare(spec, pointer, bare);
    auto problems = check_spec(spec, stand_ins, context, "");
    std::erase_if(problems, [&](const Error& problem) {
        return std::ranges::any_of(bare,
                                   [&](const std::string& root) { return under(problem.pointer, root); });
    });
    for (auto& problem : problems) problem.pointer = std::string(prefix) + problem.pointer;
    return problems;
}

}  // namespace vidgen::api
