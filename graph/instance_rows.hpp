// How a non-linear instance sees its input: as rows it normalises (softmax along its axis, the norms
// over their trailing dims) or, for element-wise functions, as the tensor's last dim. And the values
// each of its LUT functions reads for a given input, which calibration records and the methods'
// tables are built over.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "models/core/golden_functions.hpp"
#include "workloads/onnx/nonlinear_patterns.hpp"

namespace npusim::graph {

using onnx_import::Model;
using onnx_import::NonlinearInstance;
using onnx_import::Tensor;

struct RowView {
  int64_t rows = 0;
  int64_t cols = 0;
  std::vector<int64_t> offsets;  // offsets[r * cols + c]: the element's flat index in the tensor
};

RowView instance_rows(const NonlinearInstance& instance, const Model& model, const std::vector<int64_t>& shape);

// The tensor's elements in row order ([rows, cols] row-major) and back.
std::vector<double> gather_rows(const Tensor& tensor, const RowView& view);
void scatter_rows(const std::vector<double>& rows, const RowView& view, Tensor& tensor);

// Masked logits: a softmax input whose exp underflows in FP32 (x - max(row) below ln(FLT_MIN), the -1e4,
// finfo.min or -inf an attention mask adds) contributes exactly 0 there. Before a method or a calibration
// sees the rows, each such input becomes max(row) - max(2 x the largest spread of unmasked inputs in any
// row, 16): the bottom of the tensor's own grid, where exp is below every method's output resolution,
// as an NPU saturates a mask. Unmasked rows are untouched.
constexpr double kMaskedLogitOffset = -87.33654475;  // ln(FLT_MIN)
constexpr double kMinMaskedDepth = 16.0;
void saturate_masked_logits(std::vector<double>& rows, int64_t row_count, int64_t cols);

// The inputs of each LUT function of the instance for this input tensor: softmax exp: x - max(row),
// reciprocal: sum(exp(x - max(row))) per row (masked logits saturated first); LayerNorm rsqrt: var(row) + eps, RMSNorm: mean(row^2) + eps;
// element-wise functions: x (b * x for Swish x * sigmoid(b * x)). Computed in double precision.
std::map<Function, std::vector<double>> lut_inputs(const NonlinearInstance& instance, const Model& model, const Tensor& input);

}  // namespace npusim::graph
