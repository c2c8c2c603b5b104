#include "graph/method_comparison.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "graph/executor.hpp"
#include "common/error.hpp"

namespace npusim::graph {

namespace {

InstanceRanges own_ranges(const NonlinearInstance& instance, const Model& model, const Tensor& input) {
  InstanceRanges ranges;
  for (const auto& [f, values] : lut_inputs(instance, model, input)) {
    if (values.empty()) continue;
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    const double pad = *hi > *lo ? 0.0 : std::max(1e-9, 1e-6 * std::fabs(*lo));
    ranges[f] = {*lo - pad, *hi + pad};
  }
  return ranges;
}

}  // namespace

ErrorFigures compare_tensors(const Tensor& reference, const Tensor& actual) {
  if (reference.shape != actual.shape || !reference.is_float() || !actual.is_float()) {
    throw Error("cannot compare " + onnx_import::shape_string(actual.shape) + " with " + onnx_import::shape_string(reference.shape));
  }
  ErrorFigures f;
  double dot = 0.0, norm_r = 0.0, norm_a = 0.0;
  for (size_t i = 0; i < reference.floats.size(); ++i) {
    const double r = reference.floats[i], a = actual.floats[i];
    f.max_abs_error = std::max(f.max_abs_error, std::fabs(a - r));
    if (std::isnan(a) != std::isnan(r)) f.max_abs_error = INFINITY;
    dot += r * a;
    norm_r += r * r;
    norm_a += a * a;
  }
  f.cosine = norm_r == 0.0 && norm_a == 0.0 ? 1.0 : dot / std::sqrt(norm_r * norm_a);
  const int64_t cols = reference.shape.empty() ? 1 : reference.shape.back();
  if (cols > 1) {
    f.argmax_rows = static_cast<int64_t>(reference.floats.size()) / cols;
    for (int64_t r = 0; r < f.argmax_rows; ++r) {
      const auto ref = reference.floats.begin() + r * cols, act = actual.floats.begin() + r * cols;
      f.argmax_agree += std::max_element(ref, ref + cols) - ref == std::max_element(act, act + cols) - act ? 1 : 0;
    }
  }
  return f;
}

MethodComparison compare_methods(const Model& model, const std::map<std::string, Tensor>& inputs, const std::vector<Method>& methods,
                                 const std::map<std::string, InstanceRanges>& calibrated) {
  const Executor executor(model);
  MethodComparison result;
  std::set<std::string> watch;
  for (const auto& instance : onnx_import::find_nonlinear_instances(model)) {
    InstanceComparison c;
    c.instance = instance;
    result.instances.push_back(c);
    watch.insert(instance.input);
    watch.insert(instance.output);
  }
  std::map<std::string, Tensor> reference = executor.run(inputs, {}, watch);
  for (const auto& name : model.outputs) result.output_tensors[Method::fp32][name] = reference.at(name);
  for (auto& c : result.instances) {
    const Tensor& input = reference.at(c.instance.input);
    result.instance_inputs[c.instance.layer] = input;
    const auto given = calibrated.find(c.instance.layer);
    c.source = given != calibrated.end() ? RangeSource::calibration : RangeSource::self;
    c.ranges = given != calibrated.end() ? given->second : own_ranges(c.instance, model, input);
  }
  for (const Method method : methods) {
    std::vector<Replacement> replacements;
    for (auto& c : result.instances) {
      const auto kernel = method_kernel(method, c.instance, model, c.ranges);
      if (!kernel) {
        c.methods[method] = std::nullopt;
        continue;
      }
      c.methods[method] = compare_tensors(reference.at(c.instance.output), (*kernel)(reference.at(c.instance.input)));
      replacements.push_back({c.instance.nodes, c.instance.input, c.instance.output, *kernel});
    }
    if (method == Method::fp32) continue;
    const auto outputs = executor.run(inputs, replacements);
    for (const auto& name : model.outputs) result.output_tensors[method][name] = outputs.at(name);
  }
  for (const auto& name : model.outputs) {
    OutputComparison o;
    o.name = name;
    for (const Method method : methods) o.methods[method] = compare_tensors(reference.at(name), result.output_tensors.at(method).at(name));
    result.outputs.push_back(o);
  }
  return result;
}

}  // namespace npusim::graph
