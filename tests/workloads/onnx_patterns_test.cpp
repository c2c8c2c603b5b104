// The decomposed non-linear ops exporters emit, recognised as one instance each (and not when an
// intermediate tensor has a reader outside the pattern).
#include <gtest/gtest.h>

#include <cmath>

#include "tests/onnx_builder.hpp"
#include "tests/transformer_exports.hpp"
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

// ---- one small model per exporter form: each is matched as one instance of the right kind

std::vector<float> ramp(int64_t n, float base) {
  std::vector<float> v;
  for (int64_t i = 0; i < n; ++i) v.push_back(base + 0.01f * static_cast<float>(i));
  return v;
}

struct Expected {
  NonlinearKind kind;
  size_t nodes;
  std::string gamma, beta;
};

void expect_one(const OnnxBuilder& b, const Expected& e, const std::string& form) {
  const Model model = parse_model(b.bytes(), "m.onnx");
  const auto found = find_nonlinear_instances(model);
  ASSERT_EQ(found.size(), 1u) << form;
  EXPECT_EQ(found[0].kind, e.kind) << form;
  EXPECT_EQ(found[0].nodes.size(), e.nodes) << form;
  EXPECT_EQ(found[0].input, "x") << form;
  EXPECT_EQ(found[0].output, "y") << form;
  EXPECT_EQ(found[0].gamma, e.gamma) << form;
  EXPECT_EQ(found[0].beta, e.beta) << form;
  EXPECT_TRUE(find_unmatched_nonlinear(model, found).empty()) << form;
}

TEST(OnnxPatterns, LayerNormInEveryExportersForm) {
  {
    OnnxBuilder b(13);
    b.input("x", {2, 8}).output("y", 2);
    testing::tf2onnx_layernorm(b, "x", "y", "ln", ramp(8, 1.0f), ramp(8, 0.0f), 1e-5f);
    expect_one(b, {NonlinearKind::layernorm, 10, "ln/gamma:0", "ln/beta:0"}, "tf2onnx: Mul(Mul(gamma, Reciprocal(Sqrt)), d) + beta");
  }
  {
    OnnxBuilder b(13);
    b.input("x", {2, 8}).output("y", 2);
    testing::keras_layernorm(b, "x", "y", "ln", ramp(8, 1.0f), ramp(8, 0.0f), 1e-3f);
    expect_one(b, {NonlinearKind::layernorm, 12, "ln/gamma:0", "ln/beta:0"}, "Keras: x * g + (beta - mean * g)");
  }
  {  // PyTorch (opset 13): Pow and Div, gamma and beta
    OnnxBuilder b(13);
    b.input("x", {2, 8}).output("y", 2);
    testing::decomposed_layernorm(b, "x", "y", "ln", 8);
    expect_one(b, {NonlinearKind::layernorm, 9, "ln.gamma", "ln.beta"}, "PyTorch: Pow-Div");
  }
  {  // d * d, d * Pow(var + eps, -0.5), beta first in the Add, gamma first in the Mul
    OnnxBuilder b(13);
    b.input("x", {2, 8}).output("y", 2).scalar("eps", 1e-5f).scalar("power", -0.5f).weights("g", {8}, ramp(8, 1.0f)).weights("b", {8}, ramp(8, 0.0f));
    OnnxBuilder::attribute(b.node("ReduceMean", {"x"}, {"mean"}), "axes", std::vector<int64_t>{-1});
    b.node("Sub", {"x", "mean"}, {"d"});
    b.node("Mul", {"d", "d"}, {"sq"});
    OnnxBuilder::attribute(b.node("ReduceMean", {"sq"}, {"var"}), "axes", std::vector<int64_t>{-1});
    b.node("Add", {"eps", "var"}, {"ve"});
    b.node("Pow", {"ve", "power"}, {"r"});
    b.node("Mul", {"r", "d"}, {"n"});
    b.node("Mul", {"g", "n"}, {"gn"});
    b.node("Add", {"b", "gn"}, {"y"});
    expect_one(b, {NonlinearKind::layernorm, 9, "g", "b"}, "Mul(d, d), Pow(-0.5), operands swapped");
  }
  {  // PyTorch opset 17: one LayerNormalization node
    OnnxBuilder b(17);
    b.input("x", {2, 8}).output("y", 2).weights("g", {8}, ramp(8, 1.0f)).weights("b", {8}, ramp(8, 0.0f));
    b.node("LayerNormalization", {"x", "g", "b"}, {"y"});
    expect_one(b, {NonlinearKind::layernorm, 1, "g", "b"}, "LayerNormalization");
  }
}

TEST(OnnxPatterns, RmsNormAsLlamaAndT5Export) {
  {
    OnnxBuilder b(14);
    b.input("x", {2, 8}).output("y", 2);
    testing::pytorch_rmsnorm(b, "x", "y", "norm", ramp(8, 1.0f), 1e-6f);
    expect_one(b, {NonlinearKind::rmsnorm, 8, "norm.weight", ""}, "Llama: Div(1, Sqrt), Cast, Mul(weight, .)");
  }
  {  // x * Reciprocal(Sqrt(mean(x * x) + eps)) * weight
    OnnxBuilder b(13);
    b.input("x", {2, 8}).output("y", 2).scalar("eps", 1e-6f).weights("w", {8}, ramp(8, 1.0f));
    b.node("Mul", {"x", "x"}, {"sq"});
    OnnxBuilder::attribute(b.node("ReduceMean", {"sq"}, {"ms"}), "axes", std::vector<int64_t>{-1});
    b.node("Add", {"ms", "eps"}, {"ve"});
    b.node("Sqrt", {"ve"}, {"rms"});
    b.node("Reciprocal", {"rms"}, {"r"});
    b.node("Mul", {"r", "x"}, {"n"});
    b.node("Mul", {"n", "w"}, {"y"});
    expect_one(b, {NonlinearKind::rmsnorm, 7, "w", ""}, "Reciprocal(Sqrt), Mul(x, x)");
  }
}

TEST(OnnxPatterns, GeluAsTf2onnxWritesItAndTanhGeluWithACubeOfProducts) {
  {
    OnnxBuilder b(13);
    b.input("x", {2, 8}).output("y", 2).scalar("half", 0.5f).scalar("sqrt2", 1.4142135f).scalar("one", 1.0f);
    b.node("Mul", {"half", "x"}, {"hx"});
    b.node("Div", {"x", "sqrt2"}, {"t"});
    b.node("Erf", {"t"}, {"e"});
    b.node("Add", {"one", "e"}, {"e1"});
    b.node("Mul", {"hx", "e1"}, {"y"});
    expect_one(b, {NonlinearKind::gelu, 5, "", ""}, "tf2onnx GELU");
  }
  {
    OnnxBuilder b(13);
    b.input("x", {2, 8}).output("y", 2).scalar("c", 0.044715f).scalar("k", std::sqrt(2.0f / static_cast<float>(M_PI)));
    b.scalar("one", 1.0f).scalar("half", 0.5f);
    b.node("Mul", {"x", "x"}, {"x2"});
    b.node("Mul", {"x2", "x"}, {"x3"});
    b.node("Mul", {"c", "x3"}, {"cx3"});
    b.node("Add", {"cx3", "x"}, {"inner"});
    b.node("Mul", {"k", "inner"}, {"kin"});
    b.node("Tanh", {"kin"}, {"t"});
    b.node("Add", {"one", "t"}, {"t1"});
    b.node("Mul", {"half", "x"}, {"hx"});
    b.node("Mul", {"hx", "t1"}, {"y"});
    expect_one(b, {NonlinearKind::gelu_tanh, 9, "", ""}, "tanh GELU, x^3 as Mul-Mul");
  }
  {  // SiLU with the Sigmoid first in the product
    OnnxBuilder b(13);
    b.input("x", {2, 8}).output("y", 2);
    b.node("Sigmoid", {"x"}, {"s"});
    b.node("Mul", {"s", "x"}, {"y"});
    expect_one(b, {NonlinearKind::silu, 2, "", ""}, "SiLU, Sigmoid first");
  }
}

TEST(OnnxPatterns, SoftmaxWrittenOut) {
  {  // Exp(x - ReduceMax(x)) / ReduceSum(.), the reductions over axis 1 of [2, 8, 3]
    OnnxBuilder b(13);
    b.input("x", {2, 8, 3}).output("y", 3).int_weights("axes", {1}, {1});
    OnnxBuilder::attribute(b.node("ReduceMax", {"x"}, {"m"}), "axes", std::vector<int64_t>{1});
    b.node("Sub", {"x", "m"}, {"d"});
    b.node("Exp", {"d"}, {"e"});
    b.node("ReduceSum", {"e", "axes"}, {"s"});
    b.node("Div", {"e", "s"}, {"y"});
    expect_one(b, {NonlinearKind::softmax, 5, "", ""}, "Exp / ReduceSum with the max");
    EXPECT_EQ(find_nonlinear_instances(parse_model(b.bytes(), "m.onnx"))[0].axis, 1);
  }
  {  // Exp(x) * Reciprocal(ReduceSum(Exp(x))) (opset 11: axes as an attribute)
    OnnxBuilder b(11);
    b.input("x", {2, 8}).output("y", 2);
    b.node("Exp", {"x"}, {"e"});
    OnnxBuilder::attribute(b.node("ReduceSum", {"e"}, {"s"}), "axes", std::vector<int64_t>{-1});
    b.node("Reciprocal", {"s"}, {"r"});
    b.node("Mul", {"r", "e"}, {"y"});
    expect_one(b, {NonlinearKind::softmax, 4, "", ""}, "Exp * Reciprocal(ReduceSum)");
  }
}

TEST(OnnxPatterns, HardSwishAsTf2onnxWritesIt) {
  OnnxBuilder b(13);
  b.input("x", {2, 8}).output("y", 2).scalar("three", 3.0f).scalar("zero", 0.0f).scalar("six", 6.0f).scalar("sixth", 1.0f / 6.0f);
  b.node("Add", {"x", "three"}, {"x3"});
  b.node("Clip", {"x3", "zero", "six"}, {"relu6"});
  b.node("Mul", {"relu6", "sixth"}, {"hs"});
  b.node("Mul", {"x", "hs"}, {"y"});
  expect_one(b, {NonlinearKind::hardswish, 4, "", ""}, "x * (Relu6(x + 3) * 1/6)");
}

// A norm npusim does not know (no epsilon) stays unmatched and is reported with its pattern.
TEST(OnnxPatterns, AnUnknownFormIsReportedAsUnmatched) {
  OnnxBuilder b(13);
  b.input("x", {2, 8}).output("y", 2);
  OnnxBuilder::attribute(b.node("ReduceMean", {"x"}, {"mean"}), "axes", std::vector<int64_t>{-1});
  b.node("Sub", {"x", "mean"}, {"d"});
  b.node("Mul", {"d", "d"}, {"sq"});
  OnnxBuilder::attribute(b.node("ReduceMean", {"sq"}, {"var"}), "axes", std::vector<int64_t>{-1});
  b.node("Sqrt", {"var"}, {"std"});
  b.node("Div", {"d", "std"}, {"y"});
  const Model model = parse_model(b.bytes(), "m.onnx");
  const auto found = find_nonlinear_instances(model);
  EXPECT_TRUE(found.empty());
  const auto unmatched = find_unmatched_nonlinear(model, found);
  ASSERT_EQ(unmatched.size(), 1u);
  EXPECT_EQ(unmatched[0].signature, "ReduceMean-Sub-Mul-ReduceMean-Sqrt-Div");
  EXPECT_EQ(unmatched[0].occurrences, 1);
  EXPECT_EQ(unmatched[0].nodes, 6);
}

}  // namespace
}  // namespace npusim::onnx_import
