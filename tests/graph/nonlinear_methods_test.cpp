// The methods' non-linear instances against independent computations written here from SPEC 2.2 and
// 2.5 (Bespoke tables looked up directly), the executor's replacements, and calibration capture.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "graph/calibration_file.hpp"
#include "graph/executor.hpp"
#include "graph/method_comparison.hpp"
#include "graph/range_capture.hpp"
#include "models/lut/bespoke_lut.hpp"
#include "models/lut/range_reduced_lut.hpp"
#include "models/methods/method_tables.hpp"
#include "models/composite/composite_ops.hpp"
#include "tests/graph/graph_test_helpers.hpp"
#include "workloads/calibration.hpp"
#include "workloads/onnx/onnx_import.hpp"

namespace npusim::graph {
namespace {

using testing::OnnxBuilder;

double lut(const BespokeLut& t, double x) { return t.output_value(t.lookup(t.code_of(x))); }

// A [3, 5] softmax by `method` over exp [-6, 0] and reciprocal [1, 5] against the decomposition written
// here: per-layer exp lookups of x - max(row), their sum, `reciprocal(sum)` times each.
Tensor expect_lookup_softmax(Method method, uint32_t seed, const std::function<double(double)>& reciprocal) {
  OnnxBuilder b(13);
  b.input("x", {3, 5}).output("y", 2);
  OnnxBuilder::attribute(b.node("Softmax", {"x"}, {"y"}), "axis", int64_t{-1});
  const Model m = model_of(b);
  const auto instance = onnx_import::find_nonlinear_instances(m).at(0);
  const InstanceRanges ranges = {{Function::exp, {-6.0, 0.0}}, {Function::reciprocal, {1.0, 5.0}}};
  const Tensor x = tensor_of({3, 5}, seed, 3.0f);
  const Tensor y = (*method_kernel(method, instance, m, ranges))(x);
  const BespokeLut e = BespokeLut::build(Function::exp, -6.0, 0.0);
  for (int row = 0; row < 3; ++row) {
    double m_row = -1e9, sum = 0.0;
    for (int k = 0; k < 5; ++k) m_row = std::max(m_row, static_cast<double>(x.floats[static_cast<size_t>(row * 5 + k)]));
    std::vector<double> ex;
    for (int k = 0; k < 5; ++k) sum += ex.emplace_back(lut(e, x.floats[static_cast<size_t>(row * 5 + k)] - m_row));
    for (int k = 0; k < 5; ++k) {
      EXPECT_FLOAT_EQ(y.floats[static_cast<size_t>(row * 5 + k)], static_cast<float>(ex[static_cast<size_t>(k)] * reciprocal(sum)));
    }
  }
  EXPECT_FALSE(method_kernel(Method::fp32, instance, m, ranges).has_value());
  return x;
}

TEST(MethodKernel, BespokeSoftmaxIsTheDecompositionAroundTwoLookups) {
  const BespokeLut r = BespokeLut::build(Function::reciprocal, 1.0, 5.0);
  const Tensor x = expect_lookup_softmax(Method::bespoke, 11, [&r](double sum) { return lut(r, sum); });
  // I-BERT has no reciprocal table: its softmax is its composite kernel on the rows.
  OnnxBuilder b(13);
  b.input("x", {3, 5}).output("y", 2);
  OnnxBuilder::attribute(b.node("Softmax", {"x"}, {"y"}), "axis", int64_t{-1});
  const Model m = model_of(b);
  const auto instance = onnx_import::find_nonlinear_instances(m).at(0);
  const Tensor yi = (*method_kernel(Method::ibert, instance, m, {{Function::exp, {-6.0, 0.0}}, {Function::reciprocal, {1.0, 5.0}}}))(x);
  const std::vector<double> expected = composite_run(Method::ibert, CompositeOp::softmax, Rows{3, 5, std::vector<double>(x.floats.begin(), x.floats.end())}).output;
  for (size_t k = 0; k < expected.size(); ++k) EXPECT_FLOAT_EQ(yi.floats[k], static_cast<float>(expected[k]));
}

TEST(MethodKernel, BespokeLayerNormAppliesGammaAndBetaAfterTheRsqrtLookup) {
  OnnxBuilder b(13);
  b.input("x", {2, 8}).output("y", 2);
  testing::decomposed_layernorm(b, "x", "y", "ln", 8, 1e-5f);
  const Model m = model_of(b);
  const auto instance = onnx_import::find_nonlinear_instances(m).at(0);
  const Tensor x = tensor_of({2, 8}, 12, 2.0f);
  const Tensor y = (*method_kernel(Method::bespoke, instance, m, {{Function::rsqrt, {0.05, 3.0}}}))(x);
  const BespokeLut rsqrt = BespokeLut::build(Function::rsqrt, 0.05, 3.0);
  const Tensor* gamma = m.constant("ln.gamma");
  const Tensor* beta = m.constant("ln.beta");
  for (int row = 0; row < 2; ++row) {
    double mean = 0.0, var = 0.0;
    for (int k = 0; k < 8; ++k) mean += x.floats[static_cast<size_t>(row * 8 + k)] / 8.0;
    for (int k = 0; k < 8; ++k) var += std::pow(x.floats[static_cast<size_t>(row * 8 + k)] - mean, 2) / 8.0;
    const double inverse = lut(rsqrt, var + 1e-5);
    for (int k = 0; k < 8; ++k) {
      const double expected = (x.floats[static_cast<size_t>(row * 8 + k)] - mean) * inverse * gamma->floats[static_cast<size_t>(k)] +
                              beta->floats[static_cast<size_t>(k)];
      EXPECT_NEAR(y.floats[static_cast<size_t>(row * 8 + k)], expected, 1e-6);
    }
  }
}

TEST(MethodKernel, SwishLooksUpSiluOfTheScaledInput) {
  OnnxBuilder b(13);
  b.input("x", {4, 6}).output("y", 2).scalar("b", 2.0f);
  b.node("Mul", {"x", "b"}, {"bx"});
  b.node("Sigmoid", {"bx"}, {"s"});
  b.node("Mul", {"x", "s"}, {"y"});
  const Model m = model_of(b);
  const auto instance = onnx_import::find_nonlinear_instances(m).at(0);
  const Tensor x = tensor_of({4, 6}, 13, 3.0f);
  const Tensor y = (*method_kernel(Method::bespoke, instance, m, {{Function::silu, {-6.0, 6.0}}}))(x);
  const BespokeLut silu = BespokeLut::build(Function::silu, -6.0, 6.0);
  for (size_t k = 0; k < x.floats.size(); ++k) EXPECT_FLOAT_EQ(y.floats[k], static_cast<float>(lut(silu, 2.0 * x.floats[k]) / 2.0));
  EXPECT_FALSE(method_kernel(Method::ibert, instance, m, {{Function::silu, {-6.0, 6.0}}}).has_value());  // no SiLU kernel
}

TEST(Executor, ReplacementsTakeTheirNodesPlace) {
  const Model m = onnx_import::parse_model(testing::tiny_block_model().bytes(), "m.onnx");
  const Executor executor(m);
  const std::map<std::string, Tensor> inputs = {{"x", tensor_of({1, 4, 8}, 21, 1.5f)}};
  const auto reference = executor.run(inputs, {}, {"h", "gelu"});
  const auto gelu = onnx_import::find_nonlinear_instances(m).at(2);
  ASSERT_EQ(gelu.kind, onnx_import::NonlinearKind::gelu);
  // An exact GELU in double precision in place of the five nodes: the same outputs to float rounding.
  const Replacement exact{gelu.nodes, gelu.input, gelu.output, [](const Tensor& h) {
                            Tensor out = h;
                            for (float& v : out.floats) v = static_cast<float>(0.5 * v * (1.0 + std::erf(v / std::sqrt(2.0))));
                            return out;
                          }};
  const auto replaced = executor.run(inputs, {exact}, {"gelu"});
  for (size_t k = 0; k < reference.at("gelu").floats.size(); ++k) EXPECT_NEAR(replaced.at("gelu").floats[k], reference.at("gelu").floats[k], 1e-6);
  const Replacement zero{gelu.nodes, gelu.input, gelu.output, [](const Tensor& h) {
                           Tensor out = h;
                           std::fill(out.floats.begin(), out.floats.end(), 0.0f);
                           return out;
                         }};
  const auto zeroed = executor.run(inputs, {zero});
  EXPECT_GT(compare_tensors(reference.at("y"), zeroed.at("y")).max_abs_error, 1e-3);
}

TEST(RangeCapture, SoftmaxInputsAndTheMovingAverage) {
  OnnxBuilder b(13);
  b.input("x", {1, 3}).output("y", 2);
  OnnxBuilder::attribute(b.node("Softmax", {"x"}, {"y"}), "axis", int64_t{-1});
  const Model m = model_of(b);
  const auto instance = onnx_import::find_nonlinear_instances(m).at(0);
  const auto inputs = lut_inputs(instance, m, Tensor::of_floats({1, 3}, {1.0f, 2.0f, 3.0f}));
  EXPECT_EQ(inputs.at(Function::exp), (std::vector<double>{-2.0, -1.0, 0.0}));
  EXPECT_NEAR(inputs.at(Function::reciprocal).at(0), std::exp(-2.0) + std::exp(-1.0) + 1.0, 1e-12);
  RangeCapture capture(0.25);
  capture.observe(instance, m, Tensor::of_floats({1, 3}, {1.0f, 2.0f, 3.0f}));
  capture.observe(instance, m, Tensor::of_floats({1, 3}, {0.0f, 0.0f, 6.0f}));
  const RangeStats& s = capture.ranges().at("y").at(Function::exp);
  EXPECT_EQ(s.min, -6.0);
  EXPECT_EQ(s.max, 0.0);
  EXPECT_DOUBLE_EQ(s.ema_min, 0.75 * -2.0 + 0.25 * -6.0);
  EXPECT_EQ(s.samples, 2);
  // The file reads back into the imported trace.
  workloads::Trace trace = onnx_import::import_to_trace(m, "m").trace;
  EXPECT_EQ(workloads::merge_calibration(trace, calibration_yaml("m", {instance}, capture), "cal.yaml"), 2);
  EXPECT_EQ(trace.find("y")->ranges.at(Function::exp).min, -6.0);
  EXPECT_DOUBLE_EQ(*trace.find("y")->ranges.at(Function::exp).ema_min, -3.0);
}

TEST(CompareTensors, MaxErrorCosineAndArgmaxAgreement) {
  const Tensor ref = Tensor::of_floats({2, 3}, {1, 0, 0, 0, 2, 1});
  const Tensor act = Tensor::of_floats({2, 3}, {1, 0, 0, 0, 1, 2});
  const ErrorFigures f = compare_tensors(ref, act);
  EXPECT_DOUBLE_EQ(f.max_abs_error, 1.0);
  EXPECT_DOUBLE_EQ(f.cosine, 5.0 / 6.0);  // dot 1 + 2 + 2 = 5, norms sqrt(6) each
  EXPECT_EQ(f.argmax_agree, 1);
  EXPECT_EQ(f.argmax_rows, 2);
}

// bespoke-rr's softmax is the decomposition with its per-layer exp table and the range-reduced
// reciprocal (not the INT8 composite path infer used to take).
TEST(MethodKernel, BespokeRrSoftmaxUsesTheRangeReducedReciprocal) {
  const RangeReducedLut& rr = cached_range_reduced_lut(Function::reciprocal);
  const double s_in = range_reduced_input_scale(Function::reciprocal, 5.0);
  expect_lookup_softmax(Method::bespoke_rr, 14, [&rr, s_in](double sum) { return rr.value(static_cast<uint32_t>(std::llround(sum / s_in))) / s_in; });
}

// Inputs outside a table are counted per function; exp below a table that already gives 0 is not.
TEST(MethodKernel, ClampedInputsAreCounted) {
  OnnxBuilder b(13);
  b.input("x", {2, 4}).output("y", 2);
  b.node("Sigmoid", {"x"}, {"s"});
  b.node("Mul", {"x", "s"}, {"y"});
  const Model m = model_of(b);
  const auto instance = onnx_import::find_nonlinear_instances(m).at(0);
  const auto counter = std::make_shared<ClampCounter>();
  const auto kernel = *method_kernel(Method::bespoke, instance, m, {{Function::silu, {-1.0, 1.0}}}, {}, counter);
  const Tensor x = Tensor::of_floats({2, 4}, {-3.0f, -1.0f, 0.0f, 0.5f, 0.9f, 1.0f, 1.5f, 2.0f});
  kernel(x);
  EXPECT_TRUE(counter->counts.empty());  // not counting yet
  counter->enabled = true;
  kernel(x);
  EXPECT_EQ(counter->counts.at(Function::silu).outside, 3);  // -3, 1.5, 2
  EXPECT_EQ(counter->counts.at(Function::silu).total, 8);
  const Approximation exp_table = *approximate(Method::bespoke, Function::exp, -20.0, 0.0);
  EXPECT_FALSE(clamps(exp_table, Function::exp, -1e4));  // exp(-20) is below 2^-16 already
  EXPECT_TRUE(clamps(*approximate(Method::bespoke, Function::exp, -4.0, 0.0), Function::exp, -1e4));
}

// Masked logits (exp underflows in FP32) enter the methods and the calibration at the bottom of the
// tensor's own grid: the exp range does not stretch to -1e9, and the masked outputs are 0.
TEST(MethodKernel, MaskedLogitsAreSaturated) {
  OnnxBuilder b(13);
  b.input("x", {2, 4}).output("y", 2);
  OnnxBuilder::attribute(b.node("Softmax", {"x"}, {"y"}), "axis", int64_t{-1});
  const Model m = model_of(b);
  const auto instance = onnx_import::find_nonlinear_instances(m).at(0);
  const Tensor x = Tensor::of_floats({2, 4}, {1.0f, 0.0f, -1e9f, -1e9f, 2.0f, -1.0f, 0.5f, -3.4e38f});
  const auto inputs = lut_inputs(instance, m, x);
  const auto [lo, hi] = std::minmax_element(inputs.at(Function::exp).begin(), inputs.at(Function::exp).end());
  EXPECT_DOUBLE_EQ(*lo, -16.0);  // max(2 x the unmasked spread of 3, 16)
  EXPECT_DOUBLE_EQ(*hi, 0.0);
  const Tensor y = (*method_kernel(Method::bespoke, instance, m, {{Function::exp, {-16.0, 0.0}}, {Function::reciprocal, {1.0, 3.0}}}))(x);
  EXPECT_EQ(y.floats[2], 0.0f);
  EXPECT_EQ(y.floats[7], 0.0f);
  EXPECT_NEAR(y.floats[0], 1.0 / (1.0 + std::exp(-1.0)), 2e-3);
}

// A failing op is named; with the NaN check the first node computing NaN is named with what is NaN.
TEST(Executor, FailuresNameTheNode) {
  OnnxBuilder b(13);
  b.input("x", {2}).output("y", 1).weights("w", {2}, {1.0f, std::nanf("")});
  b.node("Relu", {"x"}, {"r"});
  b.node("Mul", {"r", "w"}, {"y"});
  const Model m = model_of(b);
  const std::map<std::string, Tensor> inputs = {{"x", Tensor::of_floats({2}, {1.0f, 2.0f})}};
  EXPECT_TRUE(std::isnan(Executor(m).run(inputs).at("y").floats[1]));
  try {
    Executor(m, {true}).run(inputs);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "m.onnx: Mul 'y_node' computes NaN from inputs without NaN (its constant input 'w' holds NaN)");
  }
  const Replacement failing{{0}, "x", "r", [](const Tensor&) -> Tensor { throw std::runtime_error("the unit failed"); }};
  try {
    Executor(m).run(inputs, {failing});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "r: the unit failed");
  }
}

}  // namespace
}  // namespace npusim::graph
