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

// The inputs of each LUT function of the instance for this input tensor: softmax exp: x - max(row),
// reciprocal: sum(exp(x - max(row))) per row; LayerNorm rsqrt: var(row) + eps, RMSNorm: mean(row^2) + eps;
// element-wise functions: x (b * x for Swish x * sigmoid(b * x)). Computed in double precision.
std::map<Function, std::vector<double>> lut_inputs(const NonlinearInstance& instance, const Model& model, const Tensor& input);

}  // namespace npusim::graph
