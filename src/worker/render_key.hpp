// The render cache key of a job: SHA-256 over a format version, the spec after its merge fields were
// filled (normalised: object members sorted by name, numbers written one way, no whitespace) and the
// content hash of every source in spec order. Two jobs with the same key render the same bytes, so the
// second one may take the first one's outputs. Pure; thread-safe.
#pragma once

#include <boost/json/value.hpp>

#include <span>
#include <string>

namespace vidgen::worker {

// Bump when the renderer's output for an unchanged spec changes, so older outputs are not reused.
inline constexpr int kRenderKeyVersion = 1;

// `merged_spec` is the spec JSON with its merge fields filled (spec::fill_merge_fields).
std::string render_key(const boost::json::value& merged_spec, std::span<const std::string> source_hashes);

// The JSON text with object members sorted by name at every depth.
std::string normalised_json(const boost::json::value& value);

}  // namespace vidgen::worker
