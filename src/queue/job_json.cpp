#include "queue/job_json.hpp"

#include <fmt/format.h>

#include <ctime>

#include "core/json_text.hpp"

namespace vidgen::queue {
namespace {

namespace json = boost::json;

json::array outputs_array(const std::vector<store::Output>& outputs, std::string_view prefix) {
    json::array list;
    for (const auto& output : outputs) {
        list.push_back(json::object{{"url", fmt::format("{}{}", prefix, output.content_key)},
                                    {"key", output.content_key},
                                    {"format", output.format},
                                    {"size", output.size},
                                    {"duration", output.duration}});
    }
    return list;
}

void add_times(json::object& view, const store::Job& job) {
    view["created"] = iso8601_utc(job.created);
    if (job.started) view["started"] = iso8601_utc(job.started);
    if (job.finished) view["finished"] = iso8601_utc(job.finished);
    if (!job.started) return;
    json::object timings{{"queued_ms", job.started - job.created}};
    if (job.finished) timings["render_ms"] = job.finished - job.started;
    view["timings"] = std::move(timings);
}

}  // namespace

std::string iso8601_utc(store::TimeMs time) {
    std::time_t seconds = time / 1000;
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", parts.tm_year + 1900, parts.tm_mon + 1,
                       parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, time % 1000);
}

json::object job_object(const store::Job& job, const std::vector<store::Output>& outputs,
                        std::string_view media_url_prefix) {
    json::object view{
        {"id", job.id}, {"status", store::job_status_name(job.status)}, {"progress", job.progress}};
    if (!job.template_id.empty()) {
        view["template"] = job.template_id;
        view["template_version"] = job.template_version;
    }
    if (!job.batch_id.empty()) view["batch"] = job.batch_id;
    view["priority"] = job.priority;
    view["attempts"] = job.attempts;
    if (!job.error.empty()) view["error"] = job.error;
    add_times(view, job);
    view["outputs"] = outputs_array(outputs, media_url_prefix);
    return view;
}

std::string job_json(const store::Job& job, const std::vector<store::Output>& outputs,
                     std::string_view media_url_prefix) {
    return json_text(job_object(job, outputs, media_url_prefix));
}

}  // namespace vidgen::queue
