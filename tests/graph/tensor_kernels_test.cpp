// Kernels the ONNX node-test data of Debian's libonnx-testdata does not cover: Trilu (no test data in
// ONNX 1.12), Split by attribute (opset 11), ConstantOfShape with an integer value, and the checks on
// data-dependent output sizes.
#include <gtest/gtest.h>

#include "graph/executor.hpp"
#include "tests/onnx_builder.hpp"

namespace npusim::graph {
namespace {

using testing::OnnxBuilder;

std::map<std::string, Tensor> run(const OnnxBuilder& b, const std::map<std::string, Tensor>& inputs) {
  const Model m = onnx_import::parse_model(b.bytes(), "m.onnx");
  return Executor(m).run(inputs);
}

TEST(TensorKernels, TriluKeepsATriangleOfTheLastTwoDims) {
  for (const int64_t upper : {0, 1}) {
    for (const int64_t k : {-1, 0, 2}) {
      OnnxBuilder b(14);
      b.input("x", {2, 3, 4}).output("y", 3).int_weights("k", {}, {k});
      OnnxBuilder::attribute(b.node("Trilu", {"x", "k"}, {"y"}), "upper", upper);
      std::vector<float> x(24);
      for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i + 1);
      const Tensor y = run(b, {{"x", Tensor::of_floats({2, 3, 4}, x)}}).at("y");
      for (int64_t i = 0; i < 24; ++i) {
        const int64_t r = (i / 4) % 3, c = i % 4;
        const bool kept = upper ? c - r >= k : c - r <= k;
        EXPECT_EQ(y.floats[static_cast<size_t>(i)], kept ? x[static_cast<size_t>(i)] : 0.0f) << upper << " " << k << " " << i;
      }
    }
  }
}

TEST(TensorKernels, SplitByAttributeBeforeOpset13) {
  OnnxBuilder b(11);
  b.input("x", {2, 5}).output("a", 2).output("b", 2);
  auto& n = b.node("Split", {"x"}, {"a", "b"});
  OnnxBuilder::attribute(n, "axis", int64_t{1});
  OnnxBuilder::attribute(n, "split", std::vector<int64_t>{2, 3});
  const auto out = run(b, {{"x", Tensor::of_floats({2, 5}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})}});
  EXPECT_EQ(out.at("a").floats, (std::vector<float>{0, 1, 5, 6}));
  EXPECT_EQ(out.at("b").floats, (std::vector<float>{2, 3, 4, 7, 8, 9}));
}

TEST(TensorKernels, ConstantOfShapeWhereAndEqualOnIntegers) {
  OnnxBuilder b(13);
  b.input("shape", {2}, ::onnx::TensorProto::INT64).input("ids", {2, 3}, ::onnx::TensorProto::INT64).output("y", 2, ::onnx::TensorProto::INT64);
  auto& c = b.node("ConstantOfShape", {"shape"}, {"sevens"});
  auto* value = c.add_attribute();
  value->set_name("value");
  value->set_type(::onnx::AttributeProto::TENSOR);
  value->mutable_t()->set_data_type(::onnx::TensorProto::INT64);
  value->mutable_t()->add_dims(1);
  value->mutable_t()->add_int64_data(7);
  b.int_weights("pad", {}, {0});
  b.node("Equal", {"ids", "pad"}, {"is_pad"});
  b.node("Where", {"is_pad", "sevens", "ids"}, {"y"});
  const auto out = run(b, {{"shape", Tensor::of_ints({2}, {2, 3})}, {"ids", Tensor::of_ints({2, 3}, {4, 0, 5, 0, 0, 9})}});
  EXPECT_EQ(out.at("y").ints, (std::vector<int64_t>{4, 7, 5, 7, 7, 9}));
  EXPECT_EQ(out.at("y").type, onnx_import::ElementType::int64);
}

}  // namespace
}  // namespace npusim::graph
