// Parsing and validation of a render spec from JSON, with {{merge}} fields filled from a data object.
// Pure: no I/O (sources and fonts are resolved later by render::plan). Thread-safe: no shared state.
//
// Every problem found is reported, each with the JSON Pointer of the field and what is allowed:
//   {Code::invalid_argument, "must be >= 0, got -2", "/timeline/tracks/0/clips/3/start"}
#pragma once

#include <boost/json/object.hpp>

#include <expected>
#include <string_view>

#include "core/error.hpp"
#include "spec/limits.hpp"
#include "spec/model.hpp"

namespace vidgen::spec {

// Parses `json`, fills merge fields from `data`, applies defaults and checks every field and limit.
// On failure returns every problem found (at least one), never a partial Spec.
std::expected<Spec, Problems> parse(std::string_view json, const boost::json::object& data = {},
                                    const Limits& limits = {});

// The same from an already-parsed JSON value (the HTTP API has one).
std::expected<Spec, Problems> parse(const boost::json::value& json, const boost::json::object& data = {},
                                    const Limits& limits = {});

// Spec text given as a C string (without this, `parse("{...}")` would be ambiguous between the two above).
inline std::expected<Spec, Problems> parse(const char* json, const boost::json::object& data = {},
                                           const Limits& limits = {}) {
    return parse(std::string_view(json), data, limits);
}

}  // namespace vidgen::spec
