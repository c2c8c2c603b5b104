// Shape kernels at the ends of int64 (issue 27): a Slice step of INT64_MAX or INT64_MIN overflowed the
// output-size arithmetic into an empty tensor, with exit 0 (the models are tests/data/hostile/), and a
// Reshape target's product wrapped (undefined behaviour before the size check caught it).
#include <gtest/gtest.h>

#include "graph/executor.hpp"
#include "graph/kernels.hpp"
#include "tests/error_text.hpp"

namespace npusim::graph {
namespace {

// x = [[1, 2, ..., 8]] sliced on axis 1; libonnx's inferred shape and the executed one must agree.
Tensor slice_of_one_to_eight(const std::string& model_name) {
  const Model model = onnx_import::load_model(std::string(NPUSIM_SOURCE_DIR) + "/tests/data/hostile/" + model_name);
  const Tensor x = Tensor::of_floats({1, 8}, {1, 2, 3, 4, 5, 6, 7, 8});
  const Tensor y = Executor(model).run({{"x", x}}).at("y");
  EXPECT_EQ(y.shape, model.value("y")->shape);
  return y;
}

TEST(ShapeKernels, AStepOfInt64MaxTakesTheFirstElement) {
  const Tensor y = slice_of_one_to_eight("slice_step_int64_max.onnx");  // starts 0, ends 8
  EXPECT_EQ(y.shape, (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(y.floats, std::vector<float>{1});
}

TEST(ShapeKernels, AStepOfInt64MinTakesTheFirstElementBackwards) {
  const Tensor y = slice_of_one_to_eight("slice_step_int64_min.onnx");  // starts 7, ends INT64_MIN
  EXPECT_EQ(y.shape, (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(y.floats, std::vector<float>{8});
}

TEST(ShapeKernels, AReshapeTargetBeyond64BitsIsAnError) {
  Node reshape;
  reshape.name = "r";
  reshape.op_type = "Reshape";
  const Tensor x = Tensor::of_floats({8}, std::vector<float>(8, 1.0f));
  const Tensor target = Tensor::of_ints({3}, {(int64_t{1} << 62) + 1, 4, -1});
  EXPECT_EQ(testing::error_of([&] { find_kernel("Reshape")(reshape, {&x, &target}, 13); }),
            "Reshape 'r': shape [4611686018427387905, 4, -1]: 4611686018427387905 x 4 does not fit in 64 bits");
}

}  // namespace
}  // namespace npusim::graph
