// Validation of a template's spec at save time. Merge fields may stay unfilled: each field without a
// default is filled with a stand-in text, and problems at a string that is only such a field (whose real
// value and type come with each job's data) are not counted. Everything else is validated as a job would
// be. Pure; thread-safe.
#pragma once

#include <boost/json/value.hpp>

#include <string_view>
#include <vector>

#include "api/context.hpp"
#include "core/error.hpp"

namespace vidgen::api {

// Every problem of the template spec, pointers prefixed by `prefix` ("/spec"); none when it is valid.
std::vector<Error> check_template_spec(const boost::json::value& spec, const Context& context,
                                       std::string_view prefix);

}  // namespace vidgen::api
