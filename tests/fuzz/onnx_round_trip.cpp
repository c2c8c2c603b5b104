#include "tests/fuzz/onnx_round_trip.hpp"

#include "common/error.hpp"
#include "tests/fuzz/harnesses.hpp"
#include "workloads/onnx/onnx_import.hpp"
#include "workloads/onnx/onnx_model.hpp"
#include "workloads/trace_yaml.hpp"

namespace npusim::fuzz {

void import_and_read_back(const std::string& bytes) {
  workloads::Trace trace;
  try {
    const onnx_import::Model model = onnx_import::parse_model(bytes, "fuzz.onnx");
    trace = onnx_import::import_to_trace(model, "fuzz").trace;
  } catch (const Error&) {
    return;
  }
  try {
    const std::string yaml = workloads::trace_to_yaml(trace);
    if (workloads::trace_to_yaml(workloads::parse_trace(yaml, "again.yaml")) != yaml) invariant_broken("an imported trace reads back differently");
  } catch (const Error&) {
    invariant_broken("an imported trace does not read back");
  }
}

}  // namespace npusim::fuzz
