// ONNX models run as infer and calibrate run them: what parses is calibrated on one deterministic input
// (FP32 run stopping at the first NaN, LUT-input ranges, the calibration file, which must read back into
// the imported trace) and compared in FP32, with Bespoke tables and with INT8 linear layers, or ends in one
// npusim::Error. Models past a small activation budget are skipped (a fuzzer's time goes to many inputs).
#include <cmath>

#include "common/error.hpp"
#include "graph/calibration_file.hpp"
#include "graph/executor.hpp"
#include "graph/method_comparison.hpp"
#include "graph/model_calibration.hpp"
#include "graph/run_limits.hpp"
#include "tests/fuzz/harnesses.hpp"
#include "workloads/calibration.hpp"
#include "workloads/onnx/onnx_import.hpp"

namespace npusim::fuzz {

namespace {

constexpr int64_t kFuzzActivationBytes = int64_t{1} << 22;

// A deterministic input of the model's type and shape: floats in [-2, 2], integers 0..3 (token ids and
// indices stay small), bools alternating.
onnx_import::Tensor input_for(const onnx_import::ValueInfo& v) {
  onnx_import::Tensor t;
  t.type = v.type;
  t.shape = v.shape;
  const int64_t n = onnx_import::shape_elements(v.shape);
  for (int64_t i = 0; i < n; ++i) {
    if (t.is_float()) t.floats.push_back(static_cast<float>(2.0 * std::sin(0.7 * static_cast<double>(i) + 0.3)));
    else t.ints.push_back(v.type == onnx_import::ElementType::boolean ? i % 2 : i % 4);
  }
  return t;
}

}  // namespace

void onnx_run(std::string_view data) {
  std::map<std::string, onnx_import::Tensor> inputs;
  onnx_import::Model model;
  try {
    model = onnx_import::parse_model(std::string(data), "fuzz.onnx");
    if (graph::activation_size(model).bytes > kFuzzActivationBytes) return;
    for (const auto& name : model.inputs) {
      const onnx_import::ValueInfo* v = model.value(name);
      if (v == nullptr || !v->shape_known || v->type == onnx_import::ElementType::other) return;
      if (onnx_import::shape_elements(v->shape) > kFuzzActivationBytes / 4) return;
      inputs[name] = input_for(*v);
      graph::check_input_tensor(inputs[name], name);
    }
  } catch (const Error&) {
    return;
  }
  std::string yaml;
  std::vector<onnx_import::NonlinearInstance> instances;
  try {
    graph::ModelCalibration calibration;
    const auto layers = graph::find_linear_layers(model);
    calibrate_sample(calibration, model, inputs, layers, {});
    instances = onnx_import::find_nonlinear_instances(model);
    for (const auto& [layer, functions] : calibration.ranges.ranges()) {
      for (const auto& [f, s] : functions) {
        if (!std::isfinite(s.min) || !std::isfinite(s.max)) return;  // calibrate refuses these (it names the sample)
      }
    }
    yaml = graph::calibration_yaml("fuzz", instances, calibration.ranges);
    graph::PreparedLinear linear;
    linear.layers = layers;
    for (const auto& l : layers) linear.int8_scales[l.name] = graph::int8_input_scale(calibration.linear[l.name]);
    graph::Configuration int8 = graph::Configuration::uniform(Method::fp32, graph::LinearMode::int8);
    int8.name = "fp32 int8";
    graph::compare_methods(model, inputs, {graph::Configuration::uniform(Method::fp32), graph::Configuration::uniform(Method::bespoke), int8}, {},
                           graph::RangeSource::self, {}, linear);
  } catch (const Error&) {
    return;
  }
  // What calibrate writes, the workload commands read.
  try {
    workloads::Trace trace = onnx_import::import_to_trace(model, "fuzz").trace;
    workloads::merge_calibration(trace, yaml, "fuzz_calibration.yaml");
  } catch (const Error&) {
    invariant_broken("a calibration file calibrate wrote does not read back into the model's trace");
  }
}

}  // namespace npusim::fuzz
