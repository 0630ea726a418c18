// A job's spec as the worker renders it: the inline spec or the template version the job names, its
// merge fields filled from the job's data, parsed and validated. Errors are the user's (Code::
// invalid_argument with every problem in the message) unless the store failed. Thread-safe.
#pragma once

#include <boost/json/value.hpp>

#include "core/error.hpp"
#include "spec/limits.hpp"
#include "spec/model.hpp"
#include "store/store.hpp"

namespace vidgen::worker {

struct JobSpec {
    spec::Spec spec;
    boost::json::value merged;  // the spec JSON with its merge fields filled (for the render key)
};

Result<JobSpec> load_job_spec(store::Store& store, const store::Job& job, const spec::Limits& limits);

}  // namespace vidgen::worker
