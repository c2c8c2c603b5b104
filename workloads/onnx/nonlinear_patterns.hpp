// The non-linear operations of an ONNX graph, whether exported as one node or decomposed:
//   softmax     Softmax
//   layernorm   LayerNormalization, or ReduceMean-Sub-Pow-ReduceMean-Add-Sqrt-Div (or Reciprocal-Mul)
//               with an optional Mul by gamma and Add of beta
//   rmsnorm     Pow-ReduceMean-Add-Sqrt-Div(x, .) (or Reciprocal-Mul), optional Mul by gamma
//   gelu        x * 0.5 * (1 + Erf(x / sqrt 2)) in its exporters' orders
//   gelu_tanh   x * 0.5 * (1 + Tanh(sqrt(2 / pi) * (x + 0.044715 x^3)))
//   silu        x * Sigmoid(x), or x * Sigmoid(b * x) (Swish with a constant b)
//   hardswish   HardSwish, x * HardSigmoid(x) (alpha 1/6, beta 1/2), or x * Clip(x + 3, 0, 6) / 6
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
  // softmax: the Softmax node (its axis and opset decide the normalised axes)
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

}  // namespace npusim::onnx_import
