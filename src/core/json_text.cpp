#include "core/json_text.hpp"

#include <fmt/format.h>
#include <boost/json/serialize.hpp>

#include <cmath>

namespace vidgen {
namespace {

void write(std::string& out, const boost::json::value& v, int indent, int depth);

void newline(std::string& out, int indent, int depth) {
    if (indent <= 0) return;
    out.push_back('\n');
    out.append(std::size_t(indent) * std::size_t(depth), ' ');
}

void write_double(std::string& out, double d) {
    if (!std::isfinite(d)) {
        out += "null";
        return;
    }
    if (d == std::trunc(d) && std::abs(d) < 1e15) {
        out += fmt::format("{}", static_cast<long long>(d));
        return;
    }
    out += fmt::format("{}", d);  // shortest text that reads back as the same double
}

void write_object(std::string& out, const boost::json::object& o, int indent, int depth) {
    out.push_back('{');
    bool first = true;
    for (const auto& [key, value] : o) {
        if (!first) out.push_back(',');
        first = false;
        newline(out, indent, depth + 1);
        out += boost::json::serialize(boost::json::string_view(key));
        out += indent > 0 ? ": " : ":";
        write(out, value, indent, depth + 1);
    }
    if (!o.empty()) newline(out, indent, depth);
    out.push_back('}');
}

void write_array(std::string& out, const boost::json::array& a, int indent, int depth) {
    out.push_back('[');
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (i) out.push_back(',');
        newline(out, indent, depth + 1);
        write(out, a[i], indent, depth + 1);
    }
    if (!a.empty()) newline(out, indent, depth);
    out.push_back(']');
}

void write(std::string& out, const boost::json::value& v, int indent, int depth) {
    switch (v.kind()) {
        case boost::json::kind::object:
            return write_object(out, v.get_object(), indent, depth);
        case boost::json::kind::array:
            return write_array(out, v.get_array(), indent, depth);
        case boost::json::kind::double_:
            return write_double(out, v.get_double());
        default:
            out += boost::json::serialize(v);
    }
}

}  // namespace

std::string json_text(const boost::json::value& value, int indent) {
    std::string out;
    write(out, value, indent, 0);
    return out;
}

}  // namespace vidgen
