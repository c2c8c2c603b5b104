#include "run/workload_request.hpp"

#include "common/error.hpp"
#include "workloads/calibration.hpp"
#include "workloads/trace_yaml.hpp"

namespace npusim::run {

workloads::Trace load_trace(const WorkloadRequest& request) {
  std::string named;
  int count = 0;
  for (const std::string* given : {&request.model, &request.trace_file, &request.onnx_file}) {
    if (!given->empty()) named += (count++ == 0 ? "" : ", ") + *given;
  }
  if (count != 1) throw Error("a workload is one of a zoo model, a trace file and a decoder ONNX file, got " + (count == 0 ? "none" : named));
  workloads::Trace trace;
  const std::string& file = request.trace_file.empty() ? request.onnx_file : request.trace_file;
  const workloads::ZooOptions defaults;
  const workloads::ZooOptions& zoo = request.zoo;
  if (!file.empty() && (zoo.tokens != defaults.tokens || zoo.full != defaults.full || zoo.first_block != defaults.first_block ||
                        zoo.last_block != defaults.last_block || zoo.batch != defaults.batch)) {
    throw Error(file + ": tokens, blocks, whole model and batch choose a zoo model's trace, not a file's");
  }
  if (!request.onnx_file.empty()) {
    if (!request.calibration_file.empty()) throw Error(request.onnx_file + ": a generation's traces take no calibration file");
    trace.model = request.onnx_file;
    return trace;  // no ops: generation builds the traces from the decoder's sizes
  }
  if (!request.trace_file.empty()) {
    trace = workloads::load_trace(request.trace_file);
  } else {
    trace = workloads::generate_model(request.model, request.zoo);
  }
  if (!request.calibration_file.empty()) workloads::merge_calibration_file(trace, request.calibration_file);
  return trace;
}

}  // namespace npusim::run
