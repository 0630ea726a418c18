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

void StatusCounts::add(JobStatus status, std::int64_t count) {
    switch (status) {
        case JobStatus::queued:
            queued += count;
            break;
        case JobStatus::rendering:
            rendering += count;
            break;
        case JobStatus::done:
            done += count;
            break;
        case JobStatus::failed:
            failed += count;
            break;
        case JobStatus::canceled:
            canceled += count;
            break;
    }
}

Result<JobStatus> parse_job_status(std::string_view name) {
    for (const auto& [value, text] : kStatusNames) {
        if (name == text) return value;
    }
    return fail(Code::invalid_argument, "unknown job status: " + std::string(name));
}

}  // namespace vidgen::store
