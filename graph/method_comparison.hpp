// An imported model run in FP32 and in each configuration of an NPU, compared: a configuration says how
// each kind of non-linear op is computed (a method per kind) and how the linear layers are (FP32, INT8,
// or some of them LUT-NN). Figures per non-linear instance (the method on the FP32 run's own input of
// the instance, so each figure is that instance's error alone), per linear layer (likewise), and at the
// model outputs (the whole configuration, errors compounded): max abs error, cosine similarity, and
// argmax agreement over the last dim (for a sequence classifier such as a CTC head: the share of time
// steps whose greedy decision is unchanged).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "graph/linear_methods.hpp"
#include "graph/nonlinear_methods.hpp"

namespace npusim::graph {

struct ErrorFigures {
  double max_abs_error = 0.0;
  double cosine = 1.0;
  double rel_error = 0.0;    // ||actual - reference|| / ||reference|| (0 when both are 0)
  int64_t argmax_agree = 0;  // rows of the last dim whose argmax is unchanged
  int64_t argmax_rows = 0;
};

// reference and actual have one shape; throws npusim::Error otherwise. Integer tensors compare as numbers.
ErrorFigures compare_tensors(const Tensor& reference, const Tensor& actual);

// How one column of the comparison computes the model.
struct Configuration {
  std::string name;
  std::map<onnx_import::NonlinearKind, Method> methods;  // kinds not listed stay FP32 (gelu covers gelu_tanh)
  LinearMode linear = LinearMode::fp32;
  std::set<std::string> lutnn_layers;  // with lutnn: the layers converted; the others stay FP32

  Method method_for(onnx_import::NonlinearKind kind) const;
  // Every non-linear kind by one method.
  static Configuration uniform(Method method, LinearMode linear = LinearMode::fp32);
};

// The non-linear kinds a per-kind method choice names ("softmax", "layernorm", "rmsnorm", "gelu",
// "silu", "sigmoid", "tanh"), and the parse of "softmax=nnlut,gelu=bespoke[,default=fp32]".
const std::vector<std::string>& method_kind_names();
Configuration parse_method_choice(const std::string& spec);

enum class RangeSource { calibration, calibration_inputs, self };  // a file, calibration samples, this input

// What the configurations' linear layers need, prepared once: INT8 input scales and learned LUT-NN layers.
struct PreparedLinear {
  std::vector<LinearLayer> layers;
  std::map<std::string, float> int8_scales;
  std::map<std::string, std::shared_ptr<const LutnnLayer>> lutnn;
};

struct InstanceComparison {
  NonlinearInstance instance;
  RangeSource source = RangeSource::self;
  InstanceRanges ranges;
  std::map<Method, std::optional<ErrorFigures>> methods;  // nullopt: the method leaves it in FP32
  std::map<Method, std::map<Function, ClampCount>> clamped;  // the method's lookups on the FP32 input
  std::map<Method, std::vector<std::string>> outside_domain;  // why its published constants do not fit here
};

struct LinearComparison {
  std::string layer, op;
  int64_t rows = 0, in_features = 0, out_features = 0;
  std::map<LinearMode, ErrorFigures> modes;  // int8 and / or lutnn on the FP32 input of the layer
};

struct OutputComparison {
  std::string name;
  std::map<std::string, ErrorFigures> configurations;
};

struct MethodComparison {
  std::vector<InstanceComparison> instances;
  std::vector<LinearComparison> linear;
  std::vector<OutputComparison> outputs;
  std::map<std::string, std::map<std::string, Tensor>> output_tensors;  // configuration -> output; "reference" is FP32
  std::map<std::string, Tensor> instance_inputs;                        // layer -> its FP32 input
};

// `calibrated`: layer -> ranges (from a calibration file or samples, labelled by `calibrated_source`);
// other instances use the min / max of their LUT inputs in this FP32 run.
MethodComparison compare_methods(const Model& model, const std::map<std::string, Tensor>& inputs, const std::vector<Configuration>& configurations,
                                 const std::map<std::string, InstanceRanges>& calibrated, RangeSource calibrated_source,
                                 const ApproximationOptions& options = {}, const PreparedLinear& linear = {});

}  // namespace npusim::graph
