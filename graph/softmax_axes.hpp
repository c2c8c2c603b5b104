// Where Softmax normalises: opset 13 and later along one axis (default -1); before opset 13 over the
// input coerced to 2-D at `axis` (default 1), i.e. over all axes from `axis` on.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "workloads/onnx/onnx_model.hpp"

namespace npusim::graph {

// Element (o, k, i) of the normalised view sits at (o * length + k) * inner + i.
struct SoftmaxAxes {
  int64_t outer = 1;
  int64_t length = 1;
  int64_t inner = 1;
};

SoftmaxAxes softmax_axes(const onnx_import::Node& node, const std::vector<int64_t>& shape, int64_t opset);
// Along `axis` alone, or with `flattens` over all axes from `axis` on; throws naming `what` for an axis
// outside the rank.
SoftmaxAxes softmax_axes(int64_t axis, bool flattens, const std::vector<int64_t>& shape, const std::string& what);

}  // namespace npusim::graph
