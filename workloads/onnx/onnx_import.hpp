// An ONNX graph as an npusim workload trace: every node is mapped to a trace op, folded into one, or
// reported. Mapping:
//   Conv (N = 1) -> conv; MatMul / Gemm with constant weights -> matmul; MatMul of two activations ->
//   batched_matmul; BatchNormalization, and Add / Sub / Mul / Div with a constant operand -> batchnorm
//   (a scale or shift folded into the neighbouring linear op at inference); Add / Mul of two activations
//   of one shape -> add / mul; Relu -> relu; MaxPool / AveragePool / their global forms -> pooling;
//   Reshape, Flatten, Transpose, Squeeze, Unsqueeze -> reshape; the non-linear instances
//   (nonlinear_patterns) -> softmax, layernorm, rmsnorm, gelu, silu; Identity, Dropout, Cast and
//   QuantizeLinear / DequantizeLinear pairs alias their input (a QDQ pair's scale and zero point become
//   the range of the tensor); shape arithmetic folded at load time needs no op. Everything else
//   (sigmoid, tanh, HardSwish, HardSigmoid, Concat, Slice, broadcast arithmetic, ops npusim does not
//   know...) becomes a generic `vector` op over its output elements, and is listed as such.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "workloads/onnx/nonlinear_patterns.hpp"
#include "workloads/onnx/onnx_model.hpp"
#include "workloads/trace.hpp"

namespace npusim::onnx_import {

// One line of the mapping report: `nodes` ONNX nodes of `source` became `ops` trace ops of `target`.
struct MappingRow {
  std::string source;  // an ONNX op type, or a pattern ("LayerNorm (decomposed, 9 nodes)")
  std::string target;  // a trace op type, or "no op (...)" for aliases and folded shape arithmetic
  int64_t nodes = 0;
  int64_t ops = 0;
  bool generic = false;  // mapped to the generic vector op: npusim has no dedicated model for it
};

struct ImportResult {
  workloads::Trace trace;
  std::vector<MappingRow> mapping;      // sorted by target, then source
  std::vector<NonlinearInstance> instances;
  std::vector<UnmatchedPattern> unmatched;  // non-linear computation no pattern recognised
  int64_t constant_nodes = 0;           // Constant nodes (weights and scalars)
  int64_t qdq_ranges = 0;               // non-linear inputs whose range came from a QDQ pair

  // Op types that went to the generic vector op, with node counts.
  std::map<std::string, int64_t> generic_counts() const;
};

// `model_name` names the trace. Non-linear ops get the range of a QDQ pair on their input when the
// model has one (softmax: [min - max, 0] for exp and [1, n] for the reciprocal; norms: (0, (max - min)^2 / 4]
// for rsqrt), else a placeholder range labelled as such in the trace's `calibration` field
// (`npusim calibrate` measures real ones).
ImportResult import_to_trace(const Model& model, const std::string& model_name);

// The trace function a calibration file names for an instance's LUT function (gelu_tanh is a gelu op's
// table in a trace).
Function trace_function(Function f);

}  // namespace npusim::onnx_import
