// The trace format's per-axis conv/pooling windows and its generic vector op (what an imported ONNX
// graph needs beyond the zoo's ops): read, checked, written and read back.
#include <gtest/gtest.h>

#include "tests/error_text.hpp"
#include "workloads/trace_yaml.hpp"

namespace npusim::workloads {
namespace {

using testing::error_of;

const std::string kWindowTraceHeader = "format: npusim-trace\nversion: 1\nmodel: tiny\nops:\n";
const std::string kImage = "  - id: x\n    type: reshape\n    inputs: [[8, 48, 320]]\n    output: [8, 48, 320]\n";

std::string window_trace_error(const std::string& ops) { return error_of([&] { parse_trace(kWindowTraceHeader + kImage + ops, "t.yaml"); }); }

TEST(TraceWindows, PerAxisStrideAndPaddingGiveTheOutputShape) {
  // 3x3 kernel, stride [2, 1], padding [1, 1]: h = (48 + 2 - 3) / 2 + 1 = 24, w = (320 + 2 - 3) / 1 + 1 = 320.
  // 1x3 kernel, padding [top 0, left 1, bottom 0, right 1]: h = 24, w = 320.
  // 3x2 pooling, stride [3, 2], padding [0, 0, 0, 0]: h = (24 - 3) / 3 + 1 = 8, w = (320 - 2) / 2 + 1 = 160.
  const Trace t = parse_trace(kWindowTraceHeader + kImage +
                                  "  - id: c1\n    type: conv\n    inputs: [[8, 48, 320]]\n    output: [16, 24, 320]\n"
                                  "    weights: [16, 8, 3, 3]\n    stride: [2, 1]\n    padding: [1, 1]\n"
                                  "  - id: c2\n    type: conv\n    inputs: [[16, 24, 320]]\n    output: [16, 24, 320]\n"
                                  "    weights: [16, 16, 1, 3]\n    padding: [0, 1, 0, 1]\n"
                                  "  - id: p\n    type: pooling\n    inputs: [[16, 24, 320]]\n    output: [16, 8, 160]\n"
                                  "    kernel: [3, 2]\n    stride: [3, 2]\n"
                                  "  - id: c3\n    type: conv\n    inputs: [[16, 8, 160]]\n    output: [16, 8, 159]\n"
                                  "    weights: [16, 16, 1, 3]\n    padding: [0, 1, 0, 0]\n",
                              "t.yaml");
  ASSERT_EQ(t.ops.size(), 5u);
  EXPECT_EQ(t.ops[1].stride, (std::array<int64_t, 2>{2, 1}));
  EXPECT_EQ(t.ops[1].padding, (std::array<int64_t, 4>{1, 1, 1, 1}));
  EXPECT_EQ(t.ops[2].padding, (std::array<int64_t, 4>{0, 1, 0, 1}));
  EXPECT_EQ(t.ops[4].padding, (std::array<int64_t, 4>{0, 1, 0, 0}));
  const std::string yaml = trace_to_yaml(t);
  EXPECT_NE(yaml.find("    stride: [2, 1]\n    padding: 1\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("    padding: [0, 1]\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("    padding: [0, 1, 0, 0]\n"), std::string::npos) << yaml;
  const Trace again = parse_trace(yaml, "again.yaml");
  EXPECT_EQ(trace_to_yaml(again), yaml);
  EXPECT_EQ(again.ops[4].padding, t.ops[4].padding);
}

TEST(TraceWindows, BadStridesAndPaddingsNameTheirPosition) {
  EXPECT_EQ(window_trace_error("  - id: c\n    type: conv\n    inputs: [[8, 48, 320]]\n    output: [8, 24, 320]\n"
                        "    weights: [8, 8, 3, 3]\n    stride: [2, 1, 1]\n    padding: 1\n"),
            "t.yaml:14:13: stride is S or [h, w]");
  EXPECT_EQ(window_trace_error("  - id: c\n    type: conv\n    inputs: [[8, 48, 320]]\n    output: [8, 24, 320]\n"
                        "    weights: [8, 8, 3, 3]\n    stride: [2, 1]\n    padding: [1, 1, 1]\n"),
            "t.yaml:15:14: padding is P, [h, w] or [top, left, bottom, right]");
  EXPECT_EQ(window_trace_error("  - id: c\n    type: conv\n    inputs: [[8, 48, 320]]\n    output: [8, 48, 320]\n"
                        "    weights: [8, 8, 3, 3]\n    stride: [2, 1]\n    padding: 1\n"),
            "t.yaml:9:5: op 'c': output shape [8, 48, 320] does not follow from the inputs: expected [8, 24, 320]");
}

TEST(TraceVectorOp, TakesAnyInputsAndIsWrittenBack) {
  // A broadcast product [8, 48, 320] x [8, 1, 1] (a squeeze-and-excitation scale) and a concatenation.
  const Trace t = parse_trace(kWindowTraceHeader + kImage +
                                  "  - id: se\n    type: pooling\n    inputs: [[8, 48, 320]]\n    output: [8, 1, 1]\n"
                                  "    kernel: [48, 320]\n    stride: [48, 320]\n"
                                  "  - id: scale\n    type: vector\n    inputs: [[8, 48, 320], [8, 1, 1]]\n    output: [8, 48, 320]\n"
                                  "    deps: [x, se]\n"
                                  "  - id: cat\n    type: vector\n    inputs: [[8, 48, 320], [8, 48, 320]]\n    output: [16, 48, 320]\n"
                                  "    deps: [x, scale]\n",
                              "t.yaml");
  ASSERT_EQ(t.ops.size(), 4u);
  EXPECT_EQ(t.ops[2].type, OpType::vector);
  EXPECT_EQ(t.ops[3].deps, (std::vector<std::string>{"x", "scale"}));
  EXPECT_FALSE(is_nonlinear(OpType::vector));
  EXPECT_EQ(trace_to_yaml(parse_trace(trace_to_yaml(t), "again.yaml")), trace_to_yaml(t));
}

TEST(TraceVectorOp, NeedsAnInputAndTakesNoRanges) {
  EXPECT_EQ(window_trace_error("  - id: v\n    type: vector\n    inputs: []\n    output: [8]\n"),
            "t.yaml:9:5: op 'v': vector takes at least one input");
  EXPECT_EQ(window_trace_error("  - id: v\n    type: vector\n    inputs: [[8, 48, 320]]\n    output: [8, 48, 320]\n"
                        "    ranges: {gelu: [-1, 1]}\n"),
            "t.yaml:13:13: a vector op uses no lookup table: it takes no ranges");
}

}  // namespace
}  // namespace npusim::workloads
