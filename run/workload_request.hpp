// Which workload a run simulates: a zoo model with its options, or a trace file; calibrated ranges to
// merge in; or, for a generation only, an imported decoder ONNX model. Plain data, so the command line,
// a sweep point and a binding describe a workload alike.
#pragma once

#include <string>

#include "workloads/model_zoo.hpp"
#include "workloads/trace.hpp"

namespace npusim::run {

struct WorkloadRequest {
  std::string model;              // a zoo model (workloads::zoo_model_names()), or
  std::string trace_file;         // a trace file (YAML), or onnx_file: exactly one of the three
  workloads::ZooOptions zoo;      // a model's tokens, blocks, whole model, batch; the defaults for a trace file
  std::string calibration_file;   // "": the trace's own ranges
  // A decoder ONNX model, for a generation only: its sizes are read off the graph where ONNX is
  // imported (the command line, workloads/onnx/decoder_shape_reader.hpp) and generation builds its own
  // traces, so it gives a trace without ops here (run::execute refuses it).
  std::string onnx_file;
};

// The trace the request names, generated or read, then calibrated; for an ONNX file a trace without
// ops. Throws npusim::Error for a request that names none or several of a model, a trace file and an
// ONNX file, a file with model options, and whatever the generator or the readers refuse
// ("file:line:column: ...").
workloads::Trace load_trace(const WorkloadRequest& request);

}  // namespace npusim::run
