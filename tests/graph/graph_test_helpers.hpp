// What the graph tests share: a built model parsed, and a deterministic tensor.
#pragma once

#include "tests/onnx_builder.hpp"
#include "workloads/onnx/onnx_model.hpp"

namespace npusim::graph {

inline onnx_import::Model model_of(const testing::OnnxBuilder& b) { return onnx_import::parse_model(b.bytes(), "m.onnx"); }

// Values in [-scale, scale] (testing::test_weights) of the given shape.
inline onnx_import::Tensor tensor_of(std::vector<int64_t> shape, uint32_t seed, float scale) {
  const int64_t n = onnx_import::shape_elements(shape);
  return onnx_import::Tensor::of_floats(shape, testing::test_weights(static_cast<size_t>(n), seed, scale));
}

}  // namespace npusim::graph
