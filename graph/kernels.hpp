// The FP32 kernels of the ONNX ops npusim executes, one function per op, looked up by op type.
// Each reads its node's attributes (opset-dependent where ONNX changed an op) and its input tensors,
// and returns its outputs; a malformed node or an unsupported variant throws npusim::Error naming it.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "workloads/onnx/onnx_model.hpp"

namespace npusim::graph {

using onnx_import::ElementType;
using onnx_import::Node;
using onnx_import::Tensor;

// Inputs in node order; nullptr for an omitted optional input.
using KernelInputs = std::vector<const Tensor*>;
using Kernel = std::vector<Tensor> (*)(const Node& node, const KernelInputs& inputs, int64_t opset);

// nullptr when npusim has no kernel for the op (in the default domain).
Kernel find_kernel(const std::string& op_type);
// The op types with a kernel, sorted (docs/user-guide.md's list and the conformance suite's selection).
std::vector<std::string> supported_op_types();

// Registration tables of the kernel files.
struct KernelEntry {
  const char* op_type;
  Kernel kernel;
};
const std::vector<KernelEntry>& elementwise_kernels();
const std::vector<KernelEntry>& linear_kernels();
const std::vector<KernelEntry>& pooling_kernels();
const std::vector<KernelEntry>& shape_kernels();
const std::vector<KernelEntry>& normalization_kernels();
const std::vector<KernelEntry>& quantization_kernels();
const std::vector<KernelEntry>& reduction_kernels();
const std::vector<KernelEntry>& logic_kernels();
const std::vector<KernelEntry>& tensor_kernels();

// Helpers shared by the kernel files.

// A kernel's outputs, moved in: `return {t};` would copy every tensor, an initializer list's elements
// being const.
template <class... Tensors>
std::vector<Tensor> outputs(Tensors&&... tensors) {
  std::vector<Tensor> all;
  all.reserve(sizeof...(tensors));
  (all.push_back(std::forward<Tensors>(tensors)), ...);
  return all;
}
const Tensor& required_input(const Node& node, const KernelInputs& inputs, size_t index);
const Tensor& float_input(const Node& node, const KernelInputs& inputs, size_t index);
int64_t normalized_axis(const Node& node, int64_t axis, int64_t rank);
std::vector<int64_t> strides_of(const std::vector<int64_t>& shape);
// NumPy broadcasting of two shapes; throws naming the node when they do not broadcast.
std::vector<int64_t> broadcast_shapes(const Node& node, const std::vector<int64_t>& a, const std::vector<int64_t>& b);
// The strides of a tensor of `shape` read as broadcast to `out_shape` (0 along broadcast dims).
std::vector<int64_t> broadcast_strides(const std::vector<int64_t>& shape, const std::vector<int64_t>& out_shape);
// For each element of `shape` in row-major order, sum over dims of index * stride.
std::vector<int64_t> strided_offsets(const std::vector<int64_t>& shape, const std::vector<int64_t>& strides);
// A tensor of `source`'s type and `shape` whose elements are source's at the flat indices `from`.
Tensor gather_elements(const Tensor& source, std::vector<int64_t> shape, const std::vector<int64_t>& from);
// For each flat index of `out_shape`, the flat index into a tensor of `shape` broadcast to it.
std::vector<int64_t> broadcast_index(const std::vector<int64_t>& shape, const std::vector<int64_t>& out_shape);

}  // namespace npusim::graph
