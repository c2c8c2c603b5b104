#include "graph/method_comparison.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "common/did_you_mean.hpp"
#include "graph/executor.hpp"
#include "common/error.hpp"

namespace npusim::graph {

namespace {

using onnx_import::NonlinearKind;

InstanceRanges own_ranges(const NonlinearInstance& instance, const Model& model, const Tensor& input) {
  InstanceRanges ranges;
  for (const auto& [f, values] : lut_inputs(instance, model, input)) {
    if (values.empty()) continue;
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    const InputRange r = table_range(*lo, *hi);
    ranges[f] = {r.min, r.max};
  }
  return ranges;
}

// The kind a per-kind choice names: gelu_tanh is a GELU.
NonlinearKind choice_kind(NonlinearKind kind) { return kind == NonlinearKind::gelu_tanh ? NonlinearKind::gelu : kind; }

const std::vector<NonlinearKind>& choice_kinds() {
  static const std::vector<NonlinearKind> kinds = {NonlinearKind::softmax, NonlinearKind::layernorm, NonlinearKind::rmsnorm, NonlinearKind::gelu,
                                                   NonlinearKind::silu,    NonlinearKind::sigmoid,   NonlinearKind::tanh};
  return kinds;
}

}  // namespace

ErrorFigures compare_tensors(const Tensor& reference, const Tensor& actual) {
  if (reference.shape != actual.shape || reference.is_float() != actual.is_float()) {
    throw Error("cannot compare " + onnx_import::shape_string(actual.shape) + " with " + onnx_import::shape_string(reference.shape));
  }
  ErrorFigures f;
  double dot = 0.0, norm_r = 0.0, norm_a = 0.0, norm_d = 0.0;
  const int64_t n = reference.element_count();
  for (int64_t i = 0; i < n; ++i) {
    const double r = reference.number(i), a = actual.number(i);
    f.max_abs_error = std::max(f.max_abs_error, std::fabs(a - r));
    if (std::isnan(a) != std::isnan(r)) f.max_abs_error = INFINITY;
    dot += r * a;
    norm_r += r * r;
    norm_a += a * a;
    norm_d += (a - r) * (a - r);
  }
  f.cosine = norm_r == 0.0 && norm_a == 0.0 ? 1.0 : dot / std::sqrt(norm_r * norm_a);
  f.rel_error = norm_r == 0.0 ? (norm_d == 0.0 ? 0.0 : INFINITY) : std::sqrt(norm_d / norm_r);
  const int64_t cols = reference.shape.empty() ? 1 : reference.shape.back();
  if (cols > 1) {
    f.argmax_rows = n / cols;
    for (int64_t r = 0; r < f.argmax_rows; ++r) {
      int64_t best_r = 0, best_a = 0;
      for (int64_t c = 1; c < cols; ++c) {
        if (reference.number(r * cols + c) > reference.number(r * cols + best_r)) best_r = c;
        if (actual.number(r * cols + c) > actual.number(r * cols + best_a)) best_a = c;
      }
      f.argmax_agree += best_r == best_a ? 1 : 0;
    }
  }
  return f;
}

Method Configuration::method_for(NonlinearKind kind) const {
  const auto it = methods.find(choice_kind(kind));
  return it == methods.end() ? Method::fp32 : it->second;
}

Configuration Configuration::uniform(Method method, LinearMode linear) {
  Configuration c;
  c.name = std::string(method_name(method));
  for (const NonlinearKind k : choice_kinds()) c.methods[k] = method;
  c.linear = linear;
  return c;
}

const std::vector<std::string>& method_kind_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const NonlinearKind k : choice_kinds()) n.emplace_back(onnx_import::nonlinear_kind_name(k));
    return n;
  }();
  return names;
}

Configuration parse_method_choice(const std::string& spec) {
  Configuration c;
  c.name = spec;
  std::map<NonlinearKind, Method> chosen;
  std::optional<Method> fallback;
  std::stringstream split(spec);
  for (std::string item; std::getline(split, item, ',');) {
    const size_t equals = item.find('=');
    if (equals == std::string::npos) throw Error("'" + item + "' is not KIND=METHOD (for example softmax=nnlut)");
    const std::string kind = item.substr(0, equals);
    const Method m = parse_method(item.substr(equals + 1));
    if (kind == "default") {
      fallback = m;
      continue;
    }
    const auto& names = method_kind_names();
    const auto it = std::find(names.begin(), names.end(), kind);
    if (it == names.end()) {
      throw Error("unknown op kind '" + kind + "'" + did_you_mean(kind, names) + "; known: " + join_names(names) + ", default");
    }
    if (!chosen.emplace(choice_kinds()[static_cast<size_t>(it - names.begin())], m).second) throw Error("op kind '" + kind + "' is given twice");
  }
  if (chosen.empty() && !fallback) throw Error("give at least one KIND=METHOD");
  for (const NonlinearKind k : choice_kinds()) {
    const auto it = chosen.find(k);
    if (it != chosen.end()) c.methods[k] = it->second;
    else if (fallback) c.methods[k] = *fallback;
  }
  return c;
}

MethodComparison compare_methods(const Model& model, const std::map<std::string, Tensor>& inputs, const std::vector<Configuration>& configurations,
                                 const std::map<std::string, InstanceRanges>& calibrated, RangeSource calibrated_source,
                                 const ApproximationOptions& options, const PreparedLinear& linear) {
  std::set<std::string> names;
  for (const auto& config : configurations) {
    if (!names.insert(config.name).second) throw Error("configuration '" + config.name + "' is given twice");
  }
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
  bool any_linear = false;
  for (const auto& config : configurations) any_linear = any_linear || config.linear != LinearMode::fp32;
  if (any_linear) {
    for (const auto& l : linear.layers) {
      watch.insert(l.input);
      watch.insert(l.output);
    }
  }
  std::map<std::string, Tensor> reference = executor.run(inputs, {}, watch);
  for (const auto& name : model.outputs) result.output_tensors["reference"][name] = reference.at(name);
  for (auto& c : result.instances) {
    const Tensor& input = reference.at(c.instance.input);
    result.instance_inputs[c.instance.layer] = input;
    const auto given = calibrated.find(c.instance.layer);
    c.source = given != calibrated.end() ? calibrated_source : RangeSource::self;
    c.ranges = given != calibrated.end() ? given->second : own_ranges(c.instance, model, input);
  }
  // Each method's kernel per instance, built once, measured on the instance's FP32 input.
  std::set<Method> methods;
  for (const auto& config : configurations) {
    for (const auto& c : result.instances) methods.insert(config.method_for(c.instance.kind));
  }
  std::map<Method, std::vector<std::optional<InstanceKernel>>> kernels;
  for (const Method method : methods) {
    for (auto& c : result.instances) {
      const auto counter = std::make_shared<ClampCounter>();
      auto kernel = method_kernel(method, c.instance, model, c.ranges, options, counter);
      kernels[method].push_back(kernel);
      if (!kernel) {
        c.methods[method] = std::nullopt;
        continue;
      }
      counter->enabled = true;
      c.methods[method] = compare_tensors(reference.at(c.instance.output), (*kernel)(reference.at(c.instance.input)));
      counter->enabled = false;
      c.clamped[method] = counter->counts;
      if (!counter->outside_domain.empty()) c.outside_domain[method] = counter->outside_domain;
    }
  }
  // Each linear layer's INT8 / LUT-NN kernel, measured on its FP32 input.
  std::map<std::string, LinearKernel> int8, lutnn;
  for (const auto& l : linear.layers) {
    LinearComparison lc;
    lc.layer = l.name;
    lc.op = l.op;
    lc.in_features = l.weights.rows;
    lc.out_features = l.weights.cols;
    const auto scale = linear.int8_scales.find(l.name);
    if (scale != linear.int8_scales.end()) int8[l.name] = int8_kernel(l, model, scale->second);
    const auto lut = linear.lutnn.find(l.name);
    if (lut != linear.lutnn.end()) lutnn[l.name] = lutnn_kernel(l, model, lut->second);
    if (!any_linear || (int8.count(l.name) == 0 && lutnn.count(l.name) == 0)) continue;
    const Tensor& x = reference.at(l.input);
    lc.rows = layer_rows(l, model, x).rows;
    if (int8.count(l.name) != 0) lc.modes[LinearMode::int8] = compare_tensors(reference.at(l.output), int8.at(l.name)(x));
    if (lutnn.count(l.name) != 0) lc.modes[LinearMode::lutnn] = compare_tensors(reference.at(l.output), lutnn.at(l.name)(x));
    result.linear.push_back(lc);
  }
  for (const auto& config : configurations) {
    std::vector<Replacement> replacements;
    for (size_t i = 0; i < result.instances.size(); ++i) {
      const auto& kernel = kernels.at(config.method_for(result.instances[i].instance.kind))[i];
      const auto& inst = result.instances[i].instance;
      if (kernel) replacements.push_back({inst.nodes, inst.input, inst.output, *kernel});
    }
    for (const auto& l : linear.layers) {
      const bool as_lutnn = config.linear == LinearMode::lutnn && config.lutnn_layers.count(l.name) != 0;
      const auto& table = as_lutnn ? lutnn : int8;
      if ((config.linear == LinearMode::int8 || as_lutnn) && table.count(l.name) != 0) {
        replacements.push_back({{l.node}, l.input, l.output, table.at(l.name)});
      }
    }
    const bool plain = replacements.empty();
    const auto outputs = plain ? reference : executor.run(inputs, replacements);
    for (const auto& name : model.outputs) result.output_tensors[config.name][name] = outputs.at(name);
  }
  for (const auto& name : model.outputs) {
    OutputComparison o;
    o.name = name;
    for (const auto& config : configurations) {
      o.configurations[config.name] = compare_tensors(reference.at(name), result.output_tensors.at(config.name).at(name));
    }
    result.outputs.push_back(o);
  }
  return result;
}

}  // namespace npusim::graph
