// The public JSON view of a job, shared by the API (responses) and the workers (events, webhooks), so a
// client sees one shape everywhere:
//   {"id","status","progress","template"?,"template_version"?,"batch"?,"priority","attempts","error"?,
//    "created","started"?,"finished"? (ISO-8601 UTC),"timings":{"queued_ms","render_ms"?}?,
//    "outputs":[{"url","key","format","size","duration"}]}
// Pure; thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "store/records.hpp"

namespace vidgen::queue {

// Each output's url is `media_url_prefix` + its content key (e.g. "/api/v1/media/" + key).
boost::json::object job_object(const store::Job& job, const std::vector<store::Output>& outputs,
                               std::string_view media_url_prefix);

// job_object() as JSON text.
std::string job_json(const store::Job& job, const std::vector<store::Output>& outputs,
                     std::string_view media_url_prefix);

// "2026-11-29T06:48:30.123Z" for Unix milliseconds.
std::string iso8601_utc(store::TimeMs time);

}  // namespace vidgen::queue
