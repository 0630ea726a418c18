// Tags of the API's cached responses, so whoever changes a record drops the responses that show it: the
// API when it creates or cancels a job, the worker whenever a job changes state or progress (invalidate
// both job_tag(id) and jobs_tag(tenant)). Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace vidgen::queue {

// Responses that show one job: GET /api/v1/jobs/{id}.
inline std::string job_tag(std::string_view job_id) {
    return "job:" + std::string(job_id);
}

// Responses that list a tenant's jobs or count them (job lists, batches, status).
inline std::string jobs_tag(std::string_view tenant_id) {
    return "jobs:" + std::string(tenant_id);
}

// Responses that show a template or its previews.
inline std::string template_tag(std::string_view template_id) {
    return "template:" + std::string(template_id);
}

// Responses that list a tenant's templates.
inline std::string templates_tag(std::string_view tenant_id) {
    return "templates:" + std::string(tenant_id);
}

}  // namespace vidgen::queue
