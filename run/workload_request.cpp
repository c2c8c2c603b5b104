#include "run/workload_request.hpp"

#include "common/error.hpp"
#include "workloads/calibration.hpp"
#include "workloads/trace_yaml.hpp"

namespace npusim::run {

workloads::Trace load_trace(const WorkloadRequest& request) {
  if (request.model.empty() == request.trace_file.empty()) {
    throw Error("a workload is either a zoo model or a trace file, got " +
                (request.model.empty() ? std::string("neither") : "both (" + request.model + ", " + request.trace_file + ")"));
  }
  workloads::Trace trace;
  if (!request.trace_file.empty()) {
    const workloads::ZooOptions defaults;
    const workloads::ZooOptions& zoo = request.zoo;
    if (zoo.tokens != defaults.tokens || zoo.full != defaults.full || zoo.first_block != defaults.first_block ||
        zoo.last_block != defaults.last_block || zoo.batch != defaults.batch) {
      throw Error(request.trace_file + ": tokens, blocks, whole model and batch choose a zoo model's trace, not a trace file's");
    }
    trace = workloads::load_trace(request.trace_file);
  } else {
    trace = workloads::generate_model(request.model, request.zoo);
  }
  if (!request.calibration_file.empty()) workloads::merge_calibration_file(trace, request.calibration_file);
  return trace;
}

}  // namespace npusim::run
