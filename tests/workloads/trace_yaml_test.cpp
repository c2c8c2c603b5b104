#include "workloads/trace_yaml.hpp"

#include <gtest/gtest.h>

#include <ctime>
#include <functional>

#include "tests/error_text.hpp"

#include "common/error.hpp"
#include "workloads/calibration.hpp"

namespace npusim::workloads {
namespace {

using testing::error_of;

const std::string kHeader = "format: npusim-trace\nversion: 1\nmodel: tiny\nops:\n";
const std::string kInput = "  - id: x\n    type: reshape\n    inputs: [[4, 8]]\n    output: [4, 8]\n";

std::string trace_error(const std::string& ops) { return error_of([&] { parse_trace(kHeader + kInput + ops, "t.yaml"); }); }

TEST(TraceYaml, ReadsDefaultsAndExplicitFields) {
  const Trace t = parse_trace(kHeader + kInput +
                                  "  - id: fc\n    layer: blocks.0.fc\n    type: matmul\n    inputs: [[4, 8]]\n    output: [4, 16]\n"
                                  "    weights: [8, 16]\n  - id: act\n    type: gelu\n    inputs: [[4, 16]]\n    output: [4, 16]\n"
                                  "    precision: {input: int16}\n    ranges: {gelu: {min: -4, max: 6, ema_min: -3.5, ema_max: 5}}\n",
                              "t.yaml");
  ASSERT_EQ(t.ops.size(), 3u);
  EXPECT_EQ(t.ops[1].layer, "blocks.0.fc");
  EXPECT_EQ(t.ops[2].layer, "act");
  EXPECT_EQ(t.ops[1].deps, std::vector<std::string>{"x"});  // default: the previous op
  EXPECT_EQ(t.ops[2].input_precision, Precision::int16);
  EXPECT_EQ(t.ops[2].ranges.at(Function::gelu).ema_min.value(), -3.5);
  EXPECT_EQ(trace_to_yaml(parse_trace(trace_to_yaml(t), "again.yaml")), trace_to_yaml(t));
}

TEST(TraceYaml, EveryBadInputClassNamesItsPosition) {
  EXPECT_EQ(trace_error("  - id: y\n    type: softmaxx\n    inputs: [[4, 8]]\n    output: [4, 8]\n"),
            "t.yaml:10:11: unknown op type 'softmaxx' (did you mean 'softmax'?); known: matmul, batched_matmul, conv, "
            "softmax, layernorm, rmsnorm, batchnorm, gelu, silu, relu, add, mul, pooling, reshape, vector, causal_mask");
  EXPECT_EQ(trace_error("  - id: y\n    type: relu\n    input: [[4, 8]]\n    output: [4, 8]\n"),
            "t.yaml:11:5: unknown key 'input' (did you mean 'inputs'?)");
  EXPECT_EQ(trace_error("  - id: y\n    type: relu\n    inputs: [[4, eight]]\n    output: [4, 8]\n"),
            "t.yaml:11:18: an input shape entries must be a whole number, got 'eight'");
  EXPECT_EQ(trace_error("  - id: y\n    type: relu\n    inputs: [[4, 0]]\n    output: [4, 0]\n"),
            "t.yaml:11:18: an input shape entries must be in 1..1099511627776, got 0");
  EXPECT_EQ(trace_error("  - id: y\n    type: relu\n    inputs: [[4, -8]]\n    output: [4, 8]\n"),
            "t.yaml:11:18: an input shape entries must be in 1..1099511627776, got -8");
  EXPECT_EQ(trace_error("  - id: y\n    type: relu\n    inputs: [[4, 9]]\n    output: [4, 9]\n"),
            "t.yaml:9:5: op 'y': input 0 [4, 9] does not match the output [4, 8] of its producer 'x'");
  EXPECT_EQ(trace_error("  - id: y\n    type: matmul\n    inputs: [[4, 8]]\n    output: [4, 3]\n    weights: [8, 16]\n"),
            "t.yaml:9:5: op 'y': output shape [4, 3] does not follow from the inputs: expected [4, 16]");
  EXPECT_EQ(trace_error("  - id: y\n    type: relu\n    inputs: [[4, 8]]\n    output: [4, 8]\n    deps: [z]\n"),
            "t.yaml:13:12: dependency 'z' names no earlier op (did you mean 'x'?)");
  EXPECT_EQ(trace_error("  - id: x\n    type: relu\n    inputs: [[4, 8]]\n    output: [4, 8]\n"),
            "t.yaml:9:9: duplicate op id 'x' (first given at line 5, column 9)");
  EXPECT_EQ(trace_error("  - id: y\n    type: gelu\n    inputs: [[4, 8]]\n    output: [4, 8]\n    ranges: {gelu: [3, 3]}\n"),
            "t.yaml:13:20: gelu: range needs min < max");
  EXPECT_EQ(trace_error("  - id: y\n    type: gelu\n    inputs: [[4, 8]]\n    output: [4, 8]\n    ranges: {gelu: [.nan, 3]}\n"),
            "t.yaml:13:21: range min must be a finite number, got '.nan'");
  EXPECT_EQ(trace_error("  - id: y\n    type: softmax\n    inputs: [[4, 8]]\n    output: [4, 8]\n    ranges: {exp: [-8, 0]}\n"),
            "t.yaml:9:5: non-linear op 'y' has no calibrated range for reciprocal");
  EXPECT_EQ(trace_error("  - id: y\n    type: relu\n    inputs: [[4, 8]]\n    output: [4, 8]\n    ranges: {gelu: [0, 1]}\n"),
            "t.yaml:13:13: a relu op uses no lookup table: it takes no ranges");
  EXPECT_EQ(trace_error("  - id: y\n    type: add\n    inputs: [[4, 8], [4, 8]]\n    output: [4, 8]\n"),
            "t.yaml:9:5: op 'y' has several inputs: name their producers in deps");
  EXPECT_EQ(error_of([] { parse_trace("format: npusim-trace\nversion: 2\nmodel: m\nops: []\n", "t.yaml"); }),
            "t.yaml:2:10: trace version 2 is not supported (this npusim reads version 1)");
  EXPECT_EQ(error_of([] { parse_trace("format: npusim-trace\nversion: 1\nmodel: m\nops: []\n", "t.yaml"); }),
            "t.yaml:4:6: a trace needs at least one op");
  EXPECT_NE(error_of([] { parse_trace("format: npusim-trace\nops: [\n", "t.yaml"); }).find("t.yaml:"), std::string::npos);
  EXPECT_NE(error_of([] { load_trace("/nonexistent/trace.yaml"); }).find("cannot read"), std::string::npos);
}

std::string one_op(const std::string& op) { return error_of([&] { parse_trace(kHeader + op, "t.yaml"); }); }

// Regression (issue 13): a limit of 2^40 per dimension still let element counts wrap, so a huge GELU
// read as 0 elements and ran in 0.000 ms with exit 0.
TEST(TraceYaml, ElementCountsAboveTheLimitAreRefused) {
  EXPECT_EQ(one_op("  - id: g\n    type: gelu\n    inputs: [[4294967296, 4294967296]]\n    output: [4294967296, 4294967296]\n"
                   "    ranges: {gelu: [-8, 8]}\n"),
            "t.yaml:5:5: op 'g': input shape [4294967296, 4294967296] has more than 2^40 (1099511627776) elements");
  EXPECT_EQ(one_op("  - id: r\n    type: reshape\n    inputs: [[2, 2, 2, 2, 2, 2, 2, 2, 2]]\n    output: [512]\n"),
            "t.yaml:5:5: op 'r': input shape [2, 2, 2, 2, 2, 2, 2, 2, 2] has more than 8 dimensions");
  // Within the element limit, but the MACs of this conv overflow 64 bits: refused at the op.
  const std::string conv = one_op("  - id: c\n    type: conv\n    inputs: [[1, 1048576, 1048576]]\n    output: [1, 524289, 524289]\n"
                                  "    weights: [1, 1, 524288, 524288]\n");
  EXPECT_EQ(conv.rfind("t.yaml:5:5: op 'c': MAC count: ", 0), 0u) << conv;
  EXPECT_NE(conv.find("does not fit in 64 bits"), std::string::npos) << conv;
}

// A chain of relu ops whose ids share a 1,000-character prefix (a linear search compares them byte by
// byte; a hash lookup reads each once).
Trace relu_chain(int64_t ops) {
  Trace trace;
  trace.model = "chain";
  const std::string prefix = std::string(1000, 'x');
  for (int64_t i = 0; i < ops; ++i) {
    TraceOp op;
    op.id = op.layer = prefix + std::to_string(i);
    op.type = i == 0 ? OpType::reshape : OpType::relu;
    op.inputs = {{4, 8}};
    op.output = {4, 8};
    if (i > 0) op.deps = {trace.ops.back().id};
    trace.ops.push_back(op);
  }
  return trace;
}

// Regression (issue 13): every op looked up its id and its dependencies by a linear search, so checking
// n ops took O(n^2) (the reader, validate_trace and the generators' builder; the reader's own figures are
// in the trace benchmark, where yaml-cpp's parsing dominates). With an index, 20,000 ops (the limit)
// take milliseconds; the linear search compared 2*10^8 pairs of 1,000-byte ids (about ten seconds).
// The budget is 100 times what the indexed check needs, also under sanitizers.
TEST(TraceYaml, CheckingIsLinearInTheOpCount) {
  const Trace chain = relu_chain(20000);
  const std::clock_t start = std::clock();
  validate_trace(chain);
  const double cpu_seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
  EXPECT_LT(cpu_seconds, 1.0);
}

TEST(TraceYaml, DuplicateKeysAreRefused) {
  EXPECT_EQ(trace_error("  - id: y\n    type: relu\n    inputs: [[4, 8]]\n    output: [4, 8]\n    type: gelu\n"),
            "t.yaml:13:5: duplicate key 'type' (first given at line 10, column 5)");
  EXPECT_EQ(error_of([] { parse_trace(kHeader + kInput + "model: other\n", "t.yaml"); }),
            "t.yaml:9:1: duplicate key 'model' (first given at line 3, column 1)");
}

TEST(Calibration, MergesRangesAndRejectsWhatDoesNotFit) {
  Trace t = parse_trace(kHeader + kInput + "  - id: y\n    layer: blocks.0.attn.softmax\n    type: softmax\n    inputs: [[4, 8]]\n"
                                           "    output: [4, 8]\n    ranges: {exp: [-8, 0], reciprocal: [1, 8]}\n",
                        "t.yaml");
  const std::string head = "format: npusim-calibration\nversion: 1\ninstances:\n";
  EXPECT_EQ(merge_calibration(t, head + "  - {layer: blocks.0.attn.softmax, function: exp, min: -12.5, max: 0, ema_min: -11}\n", "c.yaml"), 1);
  EXPECT_EQ(t.ops[1].ranges.at(Function::exp).min, -12.5);
  EXPECT_EQ(t.ops[1].ranges.at(Function::exp).ema_min.value(), -11);
  EXPECT_EQ(t.calibration, "calibration file c.yaml");
  EXPECT_EQ(error_of([&] { merge_calibration(t, head + "  - {layer: blocks.0.attn.softmx, function: exp, min: 0, max: 1}\n", "c.yaml"); }),
            "c.yaml:4:13: no non-linear op of tiny has layer 'blocks.0.attn.softmx' (did you mean 'blocks.0.attn.softmax'?)");
  EXPECT_EQ(error_of([&] { merge_calibration(t, head + "  - {layer: blocks.0.attn.softmax, function: rsqrt, min: 0, max: 1}\n", "c.yaml"); }),
            "c.yaml:4:46: 'blocks.0.attn.softmax' (softmax) has tables for exp, reciprocal, not 'rsqrt'");
  EXPECT_EQ(error_of([&] { merge_calibration(t, head + "  - {layer: blocks.0.attn.softmax, function: exp, min: 1, max: 1}\n", "c.yaml"); }),
            "c.yaml:4:64: range needs min < max");
  EXPECT_EQ(error_of([&] { merge_calibration(t, head + "  - {layer: blocks.0.attn.softmax, function: exp, min: 0, max: 1, mean: 0}\n", "c.yaml"); }),
            "c.yaml:4:67: unknown key 'mean' (did you mean 'min'?)");
}

// Regression (issue 13): a calibration file naming one instance twice, or a key twice, kept one silently.
TEST(Calibration, DuplicateInstancesAndKeysAreRefused) {
  Trace t = parse_trace(kHeader + kInput + "  - id: y\n    layer: blocks.0.attn.softmax\n    type: softmax\n    inputs: [[4, 8]]\n"
                                           "    output: [4, 8]\n    ranges: {exp: [-8, 0], reciprocal: [1, 8]}\n",
                        "t.yaml");
  const std::string head = "format: npusim-calibration\nversion: 1\ninstances:\n";
  EXPECT_EQ(error_of([&] {
              merge_calibration(t, head + "  - {layer: blocks.0.attn.softmax, function: exp, min: -9, max: 0}\n"
                                          "  - {layer: y, function: exp, min: -10, max: 0}\n", "c.yaml");
            }),
            "c.yaml:5:5: blocks.0.attn.softmax exp is calibrated twice (first at line 4, column 5)");
  EXPECT_EQ(error_of([&] { merge_calibration(t, head + "  - {layer: y, function: exp, min: -9, max: 0, min: -3}\n", "c.yaml"); }),
            "c.yaml:4:48: duplicate key 'min' (first given at line 4, column 31)");
  EXPECT_EQ(error_of([&] { merge_calibration(t, "", "c.yaml"); }), "c.yaml:1:1: a calibration file must be a map of keys");
}

}  // namespace
}  // namespace npusim::workloads
