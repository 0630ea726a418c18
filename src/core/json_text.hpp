// JSON text for people: numbers the way they were meant (2.5, 1920 — never 2.5E0), optionally indented.
// Boost.JSON's own serializer writes every double in exponent form; use this for anything a user reads.
// Pure; thread-safe.
#pragma once

#include <boost/json/value.hpp>

#include <string>

namespace vidgen {

// `indent` > 0 puts each member and element on its own line, indented by that many spaces per level.
std::string json_text(const boost::json::value& value, int indent = 0);

}  // namespace vidgen
