#include "spec/merge.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <functional>

#include "spec/detail/node.hpp"

namespace vidgen::spec {
namespace {

namespace json = boost::json;

std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return text;
}

bool valid_name(std::string_view name) {
    return !name.empty() && std::ranges::all_of(name, [](unsigned char c) {
        return std::isalnum(c) || c == '_' || c == '-' || c == '.';
    });
}

struct Placeholder {
    std::size_t begin = 0;  // offset of "{{"
    std::size_t end = 0;    // offset just past "}}"
    std::string_view name;
    std::optional<std::string_view> fallback;
};

// The first well-formed placeholder at or after `from`; "{{" that does not start one is literal text.
std::optional<Placeholder> next_placeholder(std::string_view text, std::size_t from) {
    for (auto open = text.find("{{", from); open != std::string_view::npos;
         open = text.find("{{", open + 1)) {
        auto close = text.find("}}", open + 2);
        if (close == std::string_view::npos) return std::nullopt;
        std::string_view inner = text.substr(open + 2, close - open - 2);
        auto bar = inner.find('|');
        Placeholder found{open, close + 2, trim(inner.substr(0, bar)), std::nullopt};
        if (bar != std::string_view::npos) found.fallback = trim(inner.substr(bar + 1));
        if (valid_name(found.name)) return found;
    }
    return std::nullopt;
}

const json::value* lookup(const json::object& data, std::string_view name) {
    if (const auto* direct = data.if_contains(name)) return direct;
    const json::object* scope = &data;
    const json::value* found = nullptr;
    for (std::size_t start = 0; start <= name.size();) {
        auto dot = std::min(name.find('.', start), name.size());
        if (!scope) return nullptr;
        found = scope->if_contains(name.substr(start, dot - start));
        if (!found) return nullptr;
        scope = found->if_object();
        start = dot + 1;
    }
    return found;
}

std::string stringify(const json::value& value) {
    switch (value.kind()) {
        case json::kind::string:
            return std::string(value.get_string());
        case json::kind::int64:
            return std::to_string(value.get_int64());
        case json::kind::uint64:
            return std::to_string(value.get_uint64());
        case json::kind::double_:
            return detail::format_number(value.get_double());
        case json::kind::bool_:
            return value.get_bool() ? "true" : "false";
        case json::kind::null:
            return "";
        default:
            return json::serialize(value);
    }
}

// A default keeps a number or boolean type when it fills a whole string: "{{t|3}}" gives 3.
json::value typed_fallback(std::string_view fallback) {
    boost::system::error_code ec;
    json::value parsed = json::parse(fallback, ec);
    if (!ec && (parsed.is_number() || parsed.is_bool())) return parsed;
    return json::string(fallback);
}

class Filler {
  public:
    explicit Filler(const json::object& data) : data_(data) {}

    void walk(json::value& value, std::string& pointer) {
        if (auto* text = value.if_string()) {
            if (auto filled = fill(*text, pointer)) value = std::move(*filled);
        } else if (auto* object = value.if_object()) {
            for (auto& [key, child] : *object) visit_child(child, pointer, detail::escape_token(key));
        } else if (auto* array = value.if_array()) {
            for (std::size_t i = 0; i < array->size(); ++i)
                visit_child((*array)[i], pointer, std::to_string(i));
        }
    }

    Problems problems;

  private:
    void visit_child(json::value& child, std::string& pointer, const std::string& token) {
        auto size = pointer.size();
        pointer += "/" + token;
        walk(child, pointer);
        pointer.resize(size);
    }

    // The value a placeholder stands for, or nullopt after recording a problem.
    std::optional<json::value> resolve(const Placeholder& p, const std::string& pointer, bool whole) {
        if (const auto* found = lookup(data_, p.name)) return *found;
        if (p.fallback) return whole ? typed_fallback(*p.fallback) : json::value(json::string(*p.fallback));
        if (problems.errors.size() < detail::kMaxProblems)
            problems.errors.push_back(
                Error{Code::invalid_argument,
                      fmt::format("merge field '{}' has no value in the data and no default "
                                  "(write {{{{{}|default}}}} to give one)",
                                  detail::shorten(p.name), detail::shorten(p.name)),
                      pointer});
        return std::nullopt;
    }

    // The replacement for `text`, or nullopt when it has no placeholder (or one could not be filled).
    std::optional<json::value> fill(std::string_view text, const std::string& pointer) {
        auto first = next_placeholder(text, 0);
        if (!first) return std::nullopt;
        if (first->begin == 0 && first->end == text.size()) return resolve(*first, pointer, true);
        std::string out;
        std::size_t done = 0;
        bool ok = true;
        for (auto p = first; p; p = next_placeholder(text, p->end)) {
            out.append(text.substr(done, p->begin - done));
            auto value = resolve(*p, pointer, false);
            ok = ok && value.has_value();
            if (value) out += stringify(*value);
            done = p->end;
        }
        out.append(text.substr(done));
        if (!ok) return std::nullopt;
        return json::value(json::string(out));
    }

    const json::object& data_;
};

void collect(const json::value& value, std::string& pointer, std::vector<MergeField>& out) {
    auto visit = [&](const json::value& child, const std::string& token) {
        auto size = pointer.size();
        pointer += "/" + token;
        collect(child, pointer, out);
        pointer.resize(size);
    };
    if (const auto* text = value.if_string()) {
        for (auto p = next_placeholder(*text, 0); p; p = next_placeholder(*text, p->end)) {
            bool seen = std::ranges::any_of(out, [&](const MergeField& f) { return f.name == p->name; });
            if (seen) continue;
            std::optional<std::string> fallback;
            if (p->fallback) fallback = std::string(*p->fallback);
            out.push_back({std::string(p->name), std::move(fallback), pointer});
        }
    } else if (const auto* object = value.if_object()) {
        for (const auto& [key, child] : *object) visit(child, detail::escape_token(key));
    } else if (const auto* array = value.if_array()) {
        for (std::size_t i = 0; i < array->size(); ++i) visit((*array)[i], std::to_string(i));
    }
}

}  // namespace

std::vector<MergeField> list_merge_fields(const json::value& spec) {
    std::vector<MergeField> out;
    std::string pointer;
    collect(spec, pointer, out);
    return out;
}

std::expected<json::value, Problems> fill_merge_fields(const json::value& spec, const json::object& data) {
    json::value out = spec;
    Filler filler(data);
    std::string pointer;
    filler.walk(out, pointer);
    if (!filler.problems.empty()) return std::unexpected(std::move(filler.problems));
    return out;
}

}  // namespace vidgen::spec
