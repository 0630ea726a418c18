// Merge fields: "{{name}}" or "{{name|default}}" placeholders (spaces allowed inside the braces) in any
// string of a spec, filled from a data object before the spec is parsed. A string that is exactly one
// placeholder takes the data value with its JSON type (so "{{t}}" can become the number 3); inside longer
// text the value is written out (3, not 3.000000). Results are not scanned again. Pure; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace vidgen::spec {

struct MergeField {
    std::string name;                     // "name", or a dotted path "user.name" into nested data objects
    std::optional<std::string> fallback;  // the text after '|', when given
    std::string pointer;                  // JSON Pointer of the first string that uses it
};

// Every merge field `spec` uses, each once, in document order.
std::vector<MergeField> list_merge_fields(const boost::json::value& spec);

// A copy of `spec` with every placeholder filled from `data`. A field with no value in `data` takes its
// default (a default that reads as a JSON number or boolean keeps that type when it fills a whole string);
// a field with neither is a problem naming the field, at the pointer of the string that uses it.
std::expected<boost::json::value, Problems> fill_merge_fields(const boost::json::value& spec,
                                                              const boost::json::object& data);

}  // namespace vidgen::spec
