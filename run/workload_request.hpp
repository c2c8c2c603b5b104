// Which workload a run simulates: a zoo model with its options, or a trace file; calibrated ranges to
// merge in. Plain data, so the command line, a sweep point and a binding describe a workload alike.
#pragma once

#include <string>

#include "workloads/model_zoo.hpp"
#include "workloads/trace.hpp"

namespace npusim::run {

struct WorkloadRequest {
  std::string model;              // a zoo model (workloads::zoo_model_names()), or
  std::string trace_file;         // a trace file (YAML): exactly one of the two
  workloads::ZooOptions zoo;      // a model's tokens, blocks, whole model, batch; the defaults for a trace file
  std::string calibration_file;   // "": the trace's own ranges
};

// The trace the request names, generated or read, then calibrated. Throws npusim::Error for a request
// that names neither a model nor a trace file or both, a trace file with model options, and whatever
// the generator or the readers refuse ("file:line:column: ...").
workloads::Trace load_trace(const WorkloadRequest& request);

}  // namespace npusim::run
