// The decomposed non-linear ops exporters emit, recognised as one instance each (and not when an
// intermediate tensor has a reader outside the pattern).
#include <gtest/gtest.h>

#include <cmath>

#include "tests/onnx_builder.hpp"
#include "workloads/onnx/nonlinear_patterns.hpp"

namespace npusim::onnx_import {
namespace {

using testing::OnnxBuilder;

std::vector<NonlinearInstance> instances_of(const OnnxBuilder& b) { return find_nonlinear_instances(parse_model(b.bytes(), "m.onnx")); }

TEST(OnnxPatterns, FindsEveryInstanceOfTheTinyBlock) {
  const auto found = instances_of(testing::tiny_block_model());
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found[0].kind, NonlinearKind::layernorm);
  EXPECT_EQ(found[0].input, "x");
  EXPECT_EQ(found[0].output, "ln");
  EXPECT_EQ(found[0].nodes.size(), 9u);
  EXPECT_EQ(found[0].gamma, "ln1.gamma");
  EXPECT_EQ(found[0].beta, "ln1.beta");
  EXPECT_FLOAT_EQ(static_cast<float>(found[0].epsilon), 1e-5f);
  EXPECT_EQ(found[1].kind, NonlinearKind::softmax);
  EXPECT_EQ(found[1].layer, "probs");
  EXPECT_EQ(found[2].kind, NonlinearKind::gelu);
  EXPECT_EQ(found[2].input, "h");
  EXPECT_EQ(found[2].nodes.size(), 5u);
  EXPECT_EQ(found[3].kind, NonlinearKind::silu);
  EXPECT_EQ(found[3].input, "o");
  EXPECT_EQ(instance_functions(NonlinearKind::softmax), (std::vector<Function>{Function::exp, Function::reciprocal}));
}

// GELU as 0.5 * x * (1 + erf(x * 0.7071)) in each of the three orders of its products.
TEST(OnnxPatterns, ErfGeluInEveryProductOrder) {
  for (int order = 0; order < 3; ++order) {
    OnnxBuilder b(13);
    b.input("x", {2, 4}).output("y", 2).scalar("r", std::sqrt(0.5f)).scalar("one", 1.0f).scalar("half", 0.5f);
    b.node("Mul", {"x", "r"}, {"t"});
    b.node("Erf", {"t"}, {"e"});
    b.node("Add", {"one", "e"}, {"e1"});
    if (order == 0) {
      b.node("Mul", {"e1", "x"}, {"p"});
      b.node("Mul", {"half", "p"}, {"y"});
    } else if (order == 1) {
      b.node("Mul", {"e1", "half"}, {"p"});
      b.node("Mul", {"x", "p"}, {"y"});
    } else {
      b.node("Mul", {"x", "half"}, {"hx"});
      b.node("Mul", {"hx", "e1"}, {"y"});
    }
    const auto found = instances_of(b);
    ASSERT_EQ(found.size(), 1u) << order;
    EXPECT_EQ(found[0].kind, NonlinearKind::gelu);
    EXPECT_EQ(found[0].nodes.size(), 5u);
    EXPECT_EQ(found[0].input, "x");
    EXPECT_EQ(found[0].output, "y");
  }
}

TEST(OnnxPatterns, TanhGeluSwishHardSwishAndRmsNorm) {
  OnnxBuilder b(13);
  b.input("x", {2, 4}).output("y", 2);
  b.scalar("three", 3.0f).scalar("c", 0.044715f).scalar("k", std::sqrt(2.0f / static_cast<float>(M_PI))).scalar("one", 1.0f);
  b.scalar("half", 0.5f).scalar("beta", 1.702f).scalar("six", 6.0f).scalar("zero", 0.0f).scalar("two", 2.0f).scalar("eps", 1e-6f);
  // tanh GELU
  b.node("Pow", {"x", "three"}, {"x3"});
  b.node("Mul", {"x3", "c"}, {"cx3"});
  b.node("Add", {"x", "cx3"}, {"inner"});
  b.node("Mul", {"inner", "k"}, {"kin"});
  b.node("Tanh", {"kin"}, {"t"});
  b.node("Add", {"t", "one"}, {"t1"});
  b.node("Mul", {"x", "t1"}, {"xt"});
  b.node("Mul", {"xt", "half"}, {"g"});
  // Swish with a constant: g * sigmoid(1.702 g)
  b.node("Mul", {"g", "beta"}, {"bg"});
  b.node("Sigmoid", {"bg"}, {"sg"});
  b.node("Mul", {"g", "sg"}, {"s"});
  // HardSwish as Paddle writes it (opset 11+: Clip bounds as inputs)
  b.node("Add", {"s", "three"}, {"s3"});
  b.node("Clip", {"s3", "zero", "six"}, {"clipped"});
  b.node("Mul", {"s", "clipped"}, {"sc"});
  b.node("Div", {"sc", "six"}, {"hs"});
  // RMSNorm: x / sqrt(mean(x^2) + eps)
  b.node("Pow", {"hs", "two"}, {"sq"});
  OnnxBuilder::attribute(b.node("ReduceMean", {"sq"}, {"ms"}), "axes", std::vector<int64_t>{-1});
  b.node("Add", {"ms", "eps"}, {"mse"});
  b.node("Sqrt", {"mse"}, {"rms"});
  b.node("Div", {"hs", "rms"}, {"y"});
  const auto found = instances_of(b);
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found[0].kind, NonlinearKind::gelu_tanh);
  EXPECT_EQ(found[0].nodes.size(), 8u);
  EXPECT_EQ(found[1].kind, NonlinearKind::silu);
  EXPECT_FLOAT_EQ(static_cast<float>(found[1].input_scale), 1.702f);
  EXPECT_EQ(found[1].input, "g");
  EXPECT_EQ(found[2].kind, NonlinearKind::hardswish);
  EXPECT_EQ(found[2].nodes.size(), 4u);
  EXPECT_EQ(found[3].kind, NonlinearKind::rmsnorm);
  EXPECT_EQ(found[3].input, "hs");
  EXPECT_FLOAT_EQ(static_cast<float>(found[3].epsilon), 1e-6f);
}

// A LayerNorm whose centred input is also read elsewhere cannot be computed as one op: its nodes stay.
TEST(OnnxPatterns, AnIntermediateReadOutsideBreaksTheMatch) {
  OnnxBuilder b(13);
  b.input("x", {2, 8}).output("y", 2).output("leak", 2);
  testing::decomposed_layernorm(b, "x", "y", "ln", 8);
  b.node("Relu", {"ln.d"}, {"leak"});
  const auto found = instances_of(b);
  EXPECT_TRUE(found.empty());
  // Sigmoid alone is a sigmoid instance.
  OnnxBuilder s(13);
  s.input("x", {2, 8}).output("y", 2);
  s.node("Sigmoid", {"x"}, {"y"});
  ASSERT_EQ(instances_of(s).size(), 1u);
  EXPECT_EQ(instances_of(s)[0].kind, NonlinearKind::sigmoid);
}

}  // namespace
}  // namespace npusim::onnx_import
