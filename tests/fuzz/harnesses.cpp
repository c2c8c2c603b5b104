#include "tests/fuzz/harnesses.hpp"

namespace npusim::fuzz {

const std::vector<Harness>& harnesses() {
  static const std::vector<Harness> all = {
      {"hw_config", hw_config}, {"sweep_spec", sweep_spec},         {"trace", trace}, {"calibration", calibration},
      {"readmemh", readmemh},   {"golden_manifest", golden_manifest}, {"npy", npy}, {"onnx", onnx},
      {"output_manifest", output_manifest},
      {"onnx_run", onnx_run},
      {"onnx_attributes", onnx_attributes},
      {"sweep_record", sweep_record},
  };
  return all;
}

}  // namespace npusim::fuzz
