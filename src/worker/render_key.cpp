#include "worker/render_key.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "core/hash.hpp"
#include "core/json_text.hpp"

namespace vidgen::worker {
namespace {

void write_normalised(const boost::json::value& value, std::string& out) {
    if (const auto* object = value.if_object()) {
        std::vector<const boost::json::key_value_pair*> members;
        for (const auto& member : *object) members.push_back(&member);
        std::ranges::sort(members, {}, [](const auto* member) { return member->key(); });
        out += '{';
        for (const auto* member : members) {
            if (out.back() != '{') out += ',';
            out += boost::json::serialize(boost::json::string_view(member->key()));
            out += ':';
            write_normalised(member->value(), out);
        }
        out += '}';
    } else if (const auto* array = value.if_array()) {
        out += '[';
        for (const auto& element : *array) {
            if (out.back() != '[') out += ',';
            write_normalised(element, out);
        }
        out += ']';
    } else {
        out += json_text(value);
    }
}

}  // namespace

std::string normalised_json(const boost::json::value& value) {
    std::string out;
    write_normalised(value, out);
    return out;
}

std::string render_key(const boost::json::value& merged_spec, std::span<const std::string> source_hashes) {
    Sha256 hash;
    hash.update(fmt::format("vidgen-render-key-v{}\n", kRenderKeyVersion));
    hash.update(normalised_json(merged_spec));
    for (const auto& source : source_hashes) {
        hash.update("\n");
        hash.update(source);
    }
    return hash.finish_hex();
}

}  // namespace vidgen::worker
