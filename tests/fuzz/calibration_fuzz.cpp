// Calibration files, merged into a ViT-Base block (generated once).
#include "common/error.hpp"
#include "tests/fuzz/harnesses.hpp"
#include "workloads/calibration.hpp"
#include "workloads/model_zoo.hpp"
#include "workloads/trace_yaml.hpp"

namespace npusim::fuzz {

void calibration(std::string_view data) {
  static const workloads::Trace block = workloads::generate_model("vit_base", {});
  workloads::Trace t = block;
  try {
    workloads::merge_calibration(t, std::string(data), "fuzz.yaml");
  } catch (const Error&) {
    return;
  }
  try {
    workloads::validate_trace(t);
  } catch (const Error&) {
    invariant_broken("a merged calibration left an invalid trace");
  }
}

}  // namespace npusim::fuzz
