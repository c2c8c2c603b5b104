// ONNX graphs as traces: every node mapped, folded or listed; what the trace cannot model becomes a
// generic vector op; QDQ scales become ranges; the trace reads back and prices.
#include <gtest/gtest.h>

#include "tests/error_text.hpp"
#include "tests/onnx_builder.hpp"
#include "workloads/onnx/onnx_import.hpp"
#include "workloads/trace_yaml.hpp"

namespace npusim::onnx_import {
namespace {

using testing::OnnxBuilder;
using workloads::OpType;

ImportResult import_of(const OnnxBuilder& b, const InputShapes& shapes = {}) {
  return import_to_trace(parse_model(b.bytes(), "m.onnx", shapes), "m");
}

int64_t ops_of(const ImportResult& r, const std::string& target) {
  int64_t n = 0;
  for (const auto& row : r.mapping) n += row.target == target ? row.ops : 0;
  return n;
}

TEST(OnnxImport, MapsTheTinyBlock) {
  const ImportResult r = import_of(testing::tiny_block_model());
  const workloads::Trace& t = r.trace;
  EXPECT_EQ(ops_of(r, "layernorm"), 1);
  EXPECT_EQ(ops_of(r, "matmul"), 5);
  EXPECT_EQ(ops_of(r, "batched_matmul"), 2);
  EXPECT_EQ(ops_of(r, "softmax"), 1);
  EXPECT_EQ(ops_of(r, "gelu"), 1);
  EXPECT_EQ(ops_of(r, "silu"), 1);
  EXPECT_EQ(ops_of(r, "add"), 1);
  EXPECT_TRUE(r.generic_counts().empty());
  const workloads::TraceOp* ln = t.find("ln");
  ASSERT_NE(ln, nullptr);
  EXPECT_EQ(ln->type, OpType::layernorm);
  EXPECT_EQ(ln->inputs[0], (std::vector<int64_t>{1, 4, 8}));
  EXPECT_EQ(ln->input_precision, workloads::Precision::int16);
  EXPECT_GT(ln->ranges.at(Function::rsqrt).min, 0.0);
  const workloads::TraceOp* scores = t.find("scores");
  ASSERT_NE(scores, nullptr);
  EXPECT_EQ(scores->type, OpType::batched_matmul);
  EXPECT_EQ(scores->inputs, (std::vector<std::vector<int64_t>>{{1, 4, 8}, {1, 8, 4}}));
  EXPECT_EQ(t.find("probs")->ranges.at(Function::reciprocal).max, 4.0);  // the row length
  EXPECT_EQ(t.calibration, "placeholder ranges (not calibrated: run npusim calibrate)");
  // Written and read back unchanged.
  EXPECT_EQ(workloads::trace_to_yaml(workloads::parse_trace(workloads::trace_to_yaml(t), "t.yaml")), workloads::trace_to_yaml(t));
}

TEST(OnnxImport, ConvPoolingAndWhatHasNoDedicatedModel) {
  OnnxBuilder b(14);  // HardSwish arrived in opset 14
  b.input("img", {1, 3, 16, 20}).output("y", 4);
  b.weights("w", {8, 3, 3, 3}, testing::test_weights(216, 7)).weights("scale", {8, 1, 1}, testing::test_weights(8, 8));
  auto& conv = b.node("Conv", {"img", "w"}, {"c"});
  OnnxBuilder::attribute(conv, "strides", std::vector<int64_t>{2, 1});
  OnnxBuilder::attribute(conv, "pads", std::vector<int64_t>{1, 1, 1, 1});
  b.node("Mul", {"c", "scale"}, {"affine"});  // a per-channel constant scale: folded
  b.node("HardSwish", {"affine"}, {"hs"});
  b.node("GlobalAveragePool", {"hs"}, {"gap"});
  b.node("Mul", {"hs", "gap"}, {"se"});  // broadcast product of two activations
  auto& pool = b.node("AveragePool", {"se"}, {"pooled"});
  OnnxBuilder::attribute(pool, "kernel_shape", std::vector<int64_t>{2, 2});
  OnnxBuilder::attribute(pool, "strides", std::vector<int64_t>{2, 2});
  b.node("Neg", {"pooled"}, {"y"});
  const ImportResult r = import_of(b);
  const workloads::TraceOp* c = r.trace.find("c");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->type, OpType::conv);
  EXPECT_EQ(c->inputs[0], (std::vector<int64_t>{3, 16, 20}));
  EXPECT_EQ(c->output, (std::vector<int64_t>{8, 8, 20}));
  EXPECT_EQ(c->stride, (std::array<int64_t, 2>{2, 1}));
  EXPECT_EQ(r.trace.find("affine")->type, OpType::batchnorm);
  EXPECT_EQ(r.trace.find("gap")->type, OpType::pooling);
  EXPECT_EQ(r.trace.find("pooled")->output, (std::vector<int64_t>{8, 4, 10}));
  EXPECT_EQ(r.trace.find("se")->type, OpType::vector);
  EXPECT_EQ(r.trace.find("se")->inputs.size(), 2u);
  EXPECT_EQ(r.trace.find("y")->type, OpType::vector);
  // Every node accounted for: the generic ones listed with their counts.
  EXPECT_EQ(r.generic_counts(), (std::map<std::string, int64_t>{{"Mul", 1}, {"Neg", 1}, {"hardswish (HardSwish)", 1}}));
  int64_t nodes = 0;
  for (const auto& row : r.mapping) nodes += row.nodes;
  EXPECT_EQ(nodes, 7);
}

TEST(OnnxImport, QdqScalesBecomeTheRanges) {
  OnnxBuilder b(13);
  b.input("x", {2, 6}).output("y", 2).scalar("s", 0.05f);
  auto* zp = b.proto().mutable_graph()->add_initializer();
  zp->set_name("zp");
  zp->set_data_type(::onnx::TensorProto::INT8);
  zp->add_int32_data(-10);
  b.node("QuantizeLinear", {"x", "s", "zp"}, {"xq"});
  b.node("DequantizeLinear", {"xq", "s", "zp"}, {"xd"});
  OnnxBuilder::attribute(b.node("Softmax", {"xd"}, {"y"}), "axis", int64_t{-1});
  const ImportResult r = import_of(b);
  const auto& ranges = r.trace.find("y")->ranges;
  // int8 with zero point -10: x in [0.05 * (-128 + 10), 0.05 * (127 + 10)] = [-5.9, 6.85]; exp over [-12.75, 0].
  EXPECT_NEAR(ranges.at(Function::exp).min, -12.75, 1e-5);
  EXPECT_EQ(ranges.at(Function::exp).max, 0.0);
  EXPECT_EQ(ranges.at(Function::reciprocal).max, 6.0);
  EXPECT_EQ(r.qdq_ranges, 1);
  EXPECT_EQ(r.trace.calibration, "QDQ scales and zero points of the model");
}

TEST(OnnxImport, ShapesNeedInputDims) {
  OnnxBuilder b(13);
  b.input("x", {-1, 8}).output("y", 2);
  b.node("Relu", {"x"}, {"y"});
  EXPECT_EQ(testing::error_of([&] { import_of(b); }),
            "m.onnx: input 'x' has shape [dynamic, 8]: give its dimensions with --input-shape x=D0,D1,...");
  EXPECT_EQ(import_of(b, {{"x", {5, 8}}}).trace.find("y")->output, (std::vector<int64_t>{5, 8}));
}

}  // namespace
}  // namespace npusim::onnx_import
