// Linear layers as an NPU computes them (INT8, LUT-NN), against computations written here: the rows a
// Conv multiplies (im2col by hand), the INT8 product and the LUT-NN pipeline of models/lutnn.
#include <gtest/gtest.h>

#include <cmath>

#include "graph/executor.hpp"
#include "graph/linear_methods.hpp"
#include "graph/method_comparison.hpp"
#include "graph/model_calibration.hpp"
#include "models/lutnn/int8_matmul.hpp"
#include "models/lutnn/layer_evaluation.hpp"
#include "tests/graph/graph_test_helpers.hpp"

namespace npusim::graph {
namespace {

using testing::OnnxBuilder;

// A 3x3 conv (stride 1, pad 1) on [1, 2, 5, 6], a depthwise conv after it, then a Gemm with transB and a bias.
OnnxBuilder conv_gemm_model() {
  OnnxBuilder b(13);
  b.input("x", {1, 2, 5, 6}).output("y", 2);
  b.weights("w", {4, 2, 3, 3}, testing::test_weights(72, 31, 0.5f)).weights("b", {4}, {0.1f, -0.2f, 0.3f, 0.0f});
  b.weights("dw", {4, 1, 3, 3}, testing::test_weights(36, 32, 0.5f));
  b.weights("g", {3, 120}, testing::test_weights(360, 33, 0.2f)).weights("gb", {3}, {0.5f, 0.0f, -0.5f});
  auto& conv = b.node("Conv", {"x", "w", "b"}, {"c"});
  OnnxBuilder::attribute(conv, "pads", std::vector<int64_t>{1, 1, 1, 1});
  auto& depthwise = b.node("Conv", {"c", "dw"}, {"d"});
  OnnxBuilder::attribute(depthwise, "group", int64_t{4});
  OnnxBuilder::attribute(depthwise, "pads", std::vector<int64_t>{1, 1, 1, 1});
  OnnxBuilder::attribute(b.node("Flatten", {"d"}, {"f"}), "axis", int64_t{1});
  OnnxBuilder::attribute(b.node("Gemm", {"f", "g", "gb"}, {"y"}), "transB", int64_t{1});
  return b;
}

TEST(LinearLayers, ConvAndGemmAreFoundDepthwiseIsNot) {
  const Model m = model_of(conv_gemm_model());
  const auto layers = find_linear_layers(m);
  ASSERT_EQ(layers.size(), 2u);
  EXPECT_EQ(layers[0].name, "c");
  EXPECT_EQ(layers[0].weights.rows, 18);  // 2 channels x 3 x 3
  EXPECT_EQ(layers[0].weights.cols, 4);
  EXPECT_EQ(layers[0].kernel_pixels, 9);
  EXPECT_EQ(lutnn_subvector(layers[0]), 9);
  EXPECT_EQ(layers[1].name, "y");
  EXPECT_EQ(layers[1].weights.rows, 120);  // Gemm's B [3, 120] read transposed
  EXPECT_EQ(layers[1].weights.at(7, 2), m.constant("g")->floats[2 * 120 + 7]);
  EXPECT_EQ(lutnn_subvector(layers[1]), 30);  // the largest divisor of 120 not above 32
}

// Conv rows are the input windows in the weights' order; rows times W plus the bias is the FP32 Conv.
TEST(LinearLayers, ConvRowsTimesTheWeightsAreTheConv) {
  const Model m = model_of(conv_gemm_model());
  const LinearLayer conv = find_linear_layers(m)[0];
  const Tensor x = tensor_of({1, 2, 5, 6}, 41, 1.0f);
  const lutnn::Matrix rows = layer_rows(conv, m, x);
  ASSERT_EQ(rows.rows, 30);
  ASSERT_EQ(rows.cols, 18);
  // Output pixel (2, 0) reads rows 1..3 and columns -1..1 of each channel: channel 1, kernel (0, 0) is x[1][1][-1] = 0.
  EXPECT_EQ(rows.at(2 * 6 + 0, 9), 0.0f);
  EXPECT_EQ(rows.at(2 * 6 + 0, 9 + 4), x.floats[static_cast<size_t>((1 * 5 + 2) * 6 + 0)]);  // kernel centre
  const auto reference = Executor(m).run({{"x", x}}, {}, {"c"}).at("c");
  const Tensor y = layer_output(conv, m, x, lutnn::matmul(rows, conv.weights));
  ASSERT_EQ(y.shape, reference.shape);
  for (size_t k = 0; k < y.floats.size(); ++k) EXPECT_NEAR(y.floats[k], reference.floats[k], 1e-5);
}

TEST(LinearMethods, Int8KernelIsTheInt8MatmulOfTheRows) {
  const Model m = model_of(conv_gemm_model());
  const LinearLayer conv = find_linear_layers(m)[0];
  const Tensor x = tensor_of({1, 2, 5, 6}, 42, 1.0f);
  const float scale = 0.01f;
  const Tensor y = int8_kernel(conv, m, scale)(x);
  const lutnn::Matrix product = lutnn::int8_matmul(layer_rows(conv, m, x), conv.weights, scale);
  for (int64_t p = 0; p < 30; ++p) {
    for (int64_t c = 0; c < 4; ++c) EXPECT_EQ(y.floats[static_cast<size_t>(c * 30 + p)], product.at(p, c) + conv.bias[static_cast<size_t>(c)]);
  }
  EXPECT_EQ(int8_input_scale({2.54, {}, 0}), 0.02f);
}

// LUT-NN learned on calibration samples; its kernel is the INT8 LUT pipeline on the layer's rows.
TEST(LinearMethods, LutnnKernelIsTheLookupPipeline) {
  const Model m = model_of(conv_gemm_model());
  const auto layers = find_linear_layers(m);
  ModelCalibration calibration;
  for (uint32_t s = 0; s < 3; ++s) calibrate_sample(calibration, m, {{"x", tensor_of({1, 2, 5, 6}, 50 + s, 1.0f)}}, layers, {"c"});
  EXPECT_EQ(calibration.samples, 3);
  EXPECT_EQ(calibration.linear.at("c").rows.rows, 90);
  EXPECT_EQ(calibration.linear.at("y").rows.rows, 0);  // only the layers asked for keep rows
  EXPECT_GT(calibration.linear.at("y").max_abs, 0.0);
  limit_rows(calibration, 45);
  EXPECT_EQ(calibration.linear.at("c").rows.rows, 45);
  LutnnOptions options;
  options.learning.iterations = 10;
  const auto lut = std::make_shared<const LutnnLayer>(learn_lutnn_layer(layers[0], calibration.linear.at("c"), options));
  EXPECT_EQ(lut->codebooks.shape.subvector, 9);
  const Tensor x = tensor_of({1, 2, 5, 6}, 60, 1.0f);
  const Tensor y = lutnn_kernel(layers[0], m, lut)(x);
  const lutnn::LutLayer expected = lutnn::build_lut_layer(lut->codebooks, layers[0].weights, lut->input_scale, layer_rows(layers[0], m, x));
  for (int64_t p = 0; p < 30; ++p) {
    for (int64_t c = 0; c < 4; ++c) EXPECT_EQ(y.floats[static_cast<size_t>(c * 30 + p)], expected.output.at(p, c) + layers[0].bias[static_cast<size_t>(c)]);
  }
  // Too few rows for its centroids: said, not learned.
  EXPECT_EQ(*lutnn_unsuitable(layers[1], calibration.linear.at("y"), options), "0 calibration rows for 16 centroids");
}

// Configurations: INT8 linear layers change the outputs but not the FP32 reference; a per-kind choice.
TEST(MethodComparison, ConfigurationsComputeLinearLayersAndOpsTheirWay) {
  const Model m = model_of(conv_gemm_model());
  PreparedLinear linear;
  linear.layers = find_linear_layers(m);
  for (const auto& l : linear.layers) linear.int8_scales[l.name] = 0.02f;
  const std::map<std::string, Tensor> inputs = {{"x", tensor_of({1, 2, 5, 6}, 70, 1.0f)}};
  Configuration int8 = Configuration::uniform(Method::fp32, LinearMode::int8);
  EXPECT_THROW(compare_methods(m, inputs, {Configuration::uniform(Method::fp32), int8}, {}, RangeSource::self, {}, linear), Error);  // one name twice
  int8.name = "fp32 int8";
  const auto result = compare_methods(m, inputs, {Configuration::uniform(Method::fp32), int8}, {}, RangeSource::self, {}, linear);
  EXPECT_EQ(result.outputs[0].configurations.at("fp32").max_abs_error, 0.0);
  ASSERT_EQ(result.linear.size(), 2u);
  EXPECT_GT(result.linear[0].modes.at(LinearMode::int8).rel_error, 0.0);
  EXPECT_LT(result.linear[0].modes.at(LinearMode::int8).rel_error, 0.05);
  const Configuration c = parse_method_choice("softmax=nnlut,gelu=bespoke,default=ibert");
  EXPECT_EQ(c.method_for(onnx_import::NonlinearKind::softmax), Method::nnlut);
  EXPECT_EQ(c.method_for(onnx_import::NonlinearKind::gelu_tanh), Method::bespoke);  // gelu covers both forms
  EXPECT_EQ(c.method_for(onnx_import::NonlinearKind::layernorm), Method::ibert);
  EXPECT_EQ(parse_method_choice("silu=bespoke").method_for(onnx_import::NonlinearKind::softmax), Method::fp32);
  EXPECT_THROW(parse_method_choice("softmx=nnlut"), Error);
  EXPECT_THROW(parse_method_choice("softmax=nnlut,softmax=bespoke"), Error);
  EXPECT_THROW(parse_method_choice("softmax"), Error);
}

}  // namespace
}  // namespace npusim::graph
