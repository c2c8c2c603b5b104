#include "graph/softmax_axes.hpp"

#include "graph/kernels.hpp"
#include "common/error.hpp"

namespace npusim::graph {

SoftmaxAxes softmax_axes(const onnx_import::Node& node, const std::vector<int64_t>& shape, int64_t opset) {
  return softmax_axes(node.integer("axis", opset < 13 ? 1 : -1), opset < 13, shape, node.label());
}

SoftmaxAxes softmax_axes(int64_t axis, bool flattens, const std::vector<int64_t>& shape, const std::string& what) {
  const int64_t rank = static_cast<int64_t>(shape.size());
  const int64_t a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= std::max<int64_t>(rank, 1)) {
    throw Error(what + ": axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  }
  auto product = [&](int64_t from, int64_t to) {
    int64_t p = 1;
    for (int64_t d = from; d < to; ++d) p *= shape[static_cast<size_t>(d)];
    return p;
  };
  if (flattens) return {product(0, a), product(a, rank), 1};
  return {product(0, a), shape.empty() ? 1 : shape[static_cast<size_t>(a)], product(a + 1, rank)};
}

}  // namespace npusim::graph
