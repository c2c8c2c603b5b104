// The integer shape arithmetic exporters emit around Reshape and Expand (Shape, Cast, Slice, Concat,
// Gather, Unsqueeze, ...), evaluated ahead of time for known input shapes so that every tensor shape
// is static. Only small integer tensors are folded; everything else is left to the executor.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "workloads/onnx/onnx_model.hpp"

namespace npusim::onnx_import {

using ConstantLookup = std::function<const Tensor*(const std::string&)>;
using ShapeLookup = std::function<const ValueInfo*(const std::string&)>;

// The node's outputs when it is such a computation over known values, else nullopt. Malformed
// attributes of a foldable node throw npusim::Error naming the node.
std::optional<std::vector<Tensor>> fold_shape_node(const Node& node, int64_t opset, const ConstantLookup& constant_of,
                                                   const ShapeLookup& value_of);

}  // namespace npusim::onnx_import
