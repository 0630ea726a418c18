#include "store/records.hpp"

#include <array>
#include <utility>

namespace vidgen::store {

namespace {
constexpr std::array<std::pair<JobStatus, const char*>, 5> kStatusNames = {{
    {JobStatus::queued, "queued"},
    {JobStatus::rendering, "rendering"},
    {JobStatus::done, "done"},
    {JobStatus::failed, "failed"},
    {JobStatus::canceled, "canceled"},
}};
}  // namespace

const char* job_status_name(JobStatus status) {
    for (const auto& [value, name] : kStatusNames) {
        if (value == status) return name;
    }
    return "failed";
}

Result<JobStatus> parse_job_status(std::string_view name) {
    for (const auto& [value, text] : kStatusNames) {
        if (name == text) return value;
    }
    return fail(Code::invalid_argument, "unknown job status: " + std::string(name));
}

}  // namespace vidgen::store
