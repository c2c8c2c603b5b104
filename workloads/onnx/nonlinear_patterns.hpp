// The non-linear operations of an ONNX graph, whether exported as one node or decomposed, in the forms
// PyTorch (opsets 13 to 17), tf2onnx and Paddle write them, commutative operands in either order:
//   softmax     Softmax; Exp(x - ReduceMax(x)) (or Exp(x)) over ReduceSum, by Div or Mul(Reciprocal)
//   layernorm   LayerNormalization; ReduceMean-Sub-(Pow 2 | Mul d d)-ReduceMean-Add eps, then
//               Div(d, Sqrt), d * Reciprocal(Sqrt) or d * Div(1, Sqrt) or d * Pow(., -0.5), or tf2onnx's
//               (gamma * Reciprocal(Sqrt)) * d, or Keras's x * g + (beta - mean * g); optional gamma, beta
//   rmsnorm     the same with d = x and no mean (Llama's x * rsqrt(mean(x^2) + eps), a float Cast, weight)
//   gelu        x * 0.5 * (1 + Erf(x / sqrt 2)) in its exporters' product orders
//   gelu_tanh   x * 0.5 * (1 + Tanh(sqrt(2 / pi) * (x + 0.044715 x^3))), x^3 as Pow or two Muls
//   silu        x * Sigmoid(x), or x * Sigmoid(b * x) (Swish with a constant b)
//   hardswish   HardSwish, x * HardSigmoid(x) (alpha 1/6, beta 1/2), or x * Clip(x + 3, 0, 6) / 6 with
//               the sixth before or after the product
//   sigmoid, tanh, hardsigmoid   the node alone
// Intermediate tensors of a match have no reader outside it, so a match can be computed as one op.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "models/core/golden_functions.hpp"
#include "workloads/onnx/onnx_model.hpp"

namespace npusim::onnx_import {

enum class NonlinearKind { softmax, layernorm, rmsnorm, gelu, gelu_tanh, silu, hardswish, sigmoid, tanh, hardsigmoid };
std::string_view nonlinear_kind_name(NonlinearKind kind);

struct NonlinearInstance {
  NonlinearKind kind = NonlinearKind::softmax;
  std::string layer;          // the output tensor's name: how traces and calibration files name the instance
  std::vector<size_t> nodes;  // indices into Model::nodes, in graph order
  std::string input;          // the activation it reads
  std::string output;
  bool decomposed = false;    // matched from several nodes
  // softmax: normalised along `axis` of the input (from the Softmax node, or the decomposed form's
  // reductions); before opset 13 a Softmax node normalises all axes from `axis` on (axis_flattens)
  int64_t axis = -1;
  bool axis_flattens = false;
  // norms: normalised over the trailing `normalized_dims` dims, epsilon, optional gamma / beta constants
  int64_t normalized_dims = 1;
  double epsilon = 0.0;
  std::string gamma, beta;
  double input_scale = 1.0;  // silu: x * sigmoid(input_scale * x)
};

// The LUT functions an instance looks up, in table order: softmax exp, reciprocal; the norms rsqrt;
// gelu, gelu_tanh, silu, sigmoid, tanh one each; hardswish and hardsigmoid none (piecewise linear).
std::vector<Function> instance_functions(NonlinearKind kind);

// Every instance, in graph order of its output; a node belongs to at most one.
std::vector<NonlinearInstance> find_nonlinear_instances(const Model& model);

// Non-linear computation no pattern matched: a transcendental node (Erf, Exp, Log, Sqrt, Reciprocal,
// Sin, Cos, Softplus, a Pow other than x^2 and x^3, a division by an activation, ...) on activations,
// outside every instance, with the element-wise and reduction nodes around it. `signature` lists their
// op types in graph order ("ReduceMean-Sub-Mul-ReduceMean-Add-Sqrt-Mul"); occurrences of one signature
// are summed.
struct UnmatchedPattern {
  std::string signature;
  int64_t occurrences = 0;
  int64_t nodes = 0;
  std::string example;  // the first node of the first occurrence
};
std::vector<UnmatchedPattern> find_unmatched_nonlinear(const Model& model, const std::vector<NonlinearInstance>& instances);

}  // namespace npusim::onnx_import
