#include "graph/softmax_axes.hpp"

#include "graph/kernels.hpp"

namespace npusim::graph {

SoftmaxAxes softmax_axes(const onnx_import::Node& node, const std::vector<int64_t>& shape, int64_t opset) {
  const int64_t rank = static_cast<int64_t>(shape.size());
  const int64_t axis = normalized_axis(node, node.integer("axis", opset < 13 ? 1 : -1), rank);
  auto product = [&](int64_t from, int64_t to) {
    int64_t p = 1;
    for (int64_t d = from; d < to; ++d) p *= shape[static_cast<size_t>(d)];
    return p;
  };
  if (opset < 13) return {product(0, axis), product(axis, rank), 1};
  return {product(0, axis), shape.empty() ? 1 : shape[static_cast<size_t>(axis)], product(axis + 1, rank)};
}

}  // namespace npusim::graph
