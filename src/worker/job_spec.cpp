#include "worker/job_spec.hpp"

#include <boost/json/parse.hpp>

#include <fmt/format.h>

#include "spec/merge.hpp"
#include "spec/parse.hpp"

namespace vidgen::worker {
namespace {

Result<std::string> spec_text(store::Store& store, const store::Job& job) {
    if (job.template_id.empty()) return job.spec_json;
    std::optional<int> version;
    if (job.template_version > 0) version = job.template_version;
    auto tmpl = store.get_template(job.tenant_id, job.template_id, version);
    if (!tmpl) return std::unexpected(tmpl.error());
    return tmpl->spec_json;
}

Result<boost::json::value> parse_json(std::string_view text, std::string_view what) {
    boost::system::error_code ec;
    auto value = boost::json::parse(text, ec);
    if (ec)
        return fail(Code::invalid_argument, fmt::format("the {} is not valid JSON: {}", what, ec.message()));
    return value;
}

Result<boost::json::object> job_data(const store::Job& job) {
    if (job.data_json.empty()) return boost::json::object{};
    auto data = parse_json(job.data_json, "job data");
    if (!data) return std::unexpected(data.error());
    if (!data->is_object())
        return fail(Code::invalid_argument, "the job data must be a JSON object", "/data");
    return std::move(data->as_object());
}

// Every problem in one error: "/a: must be ≥ 0; /b: unknown field", with the first one's code and pointer.
Error combined(const Problems& problems) {
    Error first = problems.errors.front();
    std::string message;
    for (const auto& error : problems.errors) {
        if (!message.empty()) message += "; ";
        message += error.to_string();
    }
    return {first.code, "invalid spec: " + message, first.pointer};
}

}  // namespace

Result<JobSpec> load_job_spec(store::Store& store, const store::Job& job, const spec::Limits& limits) {
    auto text = spec_text(store, job);
    if (!text) return std::unexpected(text.error());
    auto json = parse_json(*text, "spec");
    if (!json) return std::unexpected(json.error());
    auto data = job_data(job);
    if (!data) return std::unexpected(data.error());
    auto merged = spec::fill_merge_fields(*json, *data);
    if (!merged) return std::unexpected(combined(merged.error()));
    auto parsed = spec::parse(*json, *data, limits);
    if (!parsed) return std::unexpected(combined(parsed.error()));
    return JobSpec{std::move(*parsed), std::move(*merged)};
}

}  // namespace vidgen::worker
