// What a request to create jobs says, checked before anything is stored: the spec or template (validated by
// spec::parse with the merge data), the webhook URL and the priority. Every problem is collected with the
// JSON Pointer of its field in the request body, so one 422 names them all. Used by the job and batch
// handlers. Thread-safe: reads the Store only.
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/context.hpp"
#include "core/error.hpp"
#include "spec/model.hpp"
#include "store/records.hpp"

namespace vidgen::api {

inline constexpr int kMinPriority = -100;
inline constexpr int kMaxPriority = 100;

// Reads "webhook" and "priority" of `body` into `job`; problems are appended.
void read_job_options(const boost::json::object& body, const Context& context, store::Job& job,
                      std::vector<Error>& problems);

// The template a request names, its latest version or `version`. not_found for another tenant's id.
Result<store::Template> find_template(const Context& context, std::string_view tenant_id,
                                      std::string_view template_id,
                                      std::optional<int> version = std::nullopt);

// Sources an API spec may not use: anything but https:// URLs and asset:ID (a local path or a font file
// would read the server's files). Every offender, at its pointer.
std::vector<Error> refused_sources(const spec::Spec& spec);

// spec::parse of `spec` filled with `data`, then refused_sources: every problem, pointers prefixed by
// `prefix`; none when valid.
std::vector<Error> check_spec(const boost::json::value& spec, const boost::json::object& data,
                              const Context& context, std::string_view prefix);

// Reads the "data" member: absent is an empty object; anything but an object is a problem at `pointer`.
boost::json::object read_data(const boost::json::object& body, std::vector<Error>& problems,
                              std::string_view pointer = "/data");

}  // namespace vidgen::api
