// The sliding-window geometry of Conv and pooling: ONNX's output-size formulas, and sizes that do not
// fit in 64 bits refused instead of wrapped (issue 27: huge pads or dilations imported with a wrapped
// output shape and exit 0).
#include <gtest/gtest.h>

#include <limits>

#include "tests/error_text.hpp"
#include "tests/onnx_builder.hpp"
#include "workloads/onnx/onnx_import.hpp"
#include "workloads/trace_yaml.hpp"
#include "workloads/onnx/window.hpp"

namespace npusim::onnx_import {
namespace {

using testing::error_of;

Attribute ints(std::vector<int64_t> values) {
  Attribute a;
  a.kind = Attribute::Kind::integers;
  a.integers = std::move(values);
  return a;
}

Node conv(std::map<std::string, Attribute> attributes) {
  Node n;
  n.name = "c";
  n.op_type = "Conv";
  n.outputs = {"y"};
  n.attributes = std::move(attributes);
  return n;
}

TEST(OnnxWindow, OutputSizesFollowOnnxFormulas) {
  // floor((8 + 1 + 1 - ((3 - 1) * 2 + 1)) / 2) + 1 = 3
  const Window w = resolve_window(conv({{"strides", ints({2})}, {"pads", ints({1, 1})}, {"dilations", ints({2})}}), {8}, {3}, false);
  EXPECT_EQ(w.output, std::vector<int64_t>{3});
  // SAME_UPPER: ceil(7 / 2) = 4 outputs, total pad (4 - 1) * 2 + 3 - 7 = 2, split 1 / 1
  Node same = conv({{"strides", ints({2})}});
  same.attributes["auto_pad"].kind = Attribute::Kind::text;
  same.attributes["auto_pad"].text = "SAME_UPPER";
  const Window s = resolve_window(same, {7}, {3}, false);
  EXPECT_EQ(s.output, std::vector<int64_t>{4});
  EXPECT_EQ(s.pads_begin, std::vector<int64_t>{1});
  EXPECT_EQ(s.pads_end, std::vector<int64_t>{1});
}

TEST(OnnxWindow, SizesBeyond64BitsAreErrorsNotWrappedShapes) {
  const int64_t max = std::numeric_limits<int64_t>::max();
  // 4 + 2 (2^63 - 1) wrapped to 2: an output of 2 and exit 0 before.
  EXPECT_EQ(error_of([&] { resolve_window(conv({{"pads", ints({max, max})}}), {4}, {1}, false); }),
            "Conv 'c': window size: 4 + 9223372036854775807 does not fit in 64 bits");
  // (3 - 1) (2^63 - 1) + 1 wrapped to -1: an output of 6.
  EXPECT_EQ(error_of([&] { resolve_window(conv({{"dilations", ints({max})}}), {4}, {3}, false); }),
            "Conv 'c': window size: 2 x 9223372036854775807 does not fit in 64 bits");
  // A kernel from weights with a huge dim (an empty initializer can declare one).
  EXPECT_EQ(error_of([&] { resolve_window(conv({{"dilations", ints({4})}}), {4}, {max / 2}, false); }),
            "Conv 'c': window size: 4611686018427387902 x 4 does not fit in 64 bits");
}

// An AveragePool with stride 65536 imported as a pooling op the trace reader refuses (its strides are
// 1..4096): the importer checks the reader's ranges and keeps such a node a generic op, so the trace
// reads back (found by the onnx_attributes fuzz harness).
TEST(OnnxWindow, AWindowBeyondTheTraceFormatStillReadsBack) {
  testing::OnnxBuilder b(13);
  b.input("x", {1, 4, 4, 4}).output("y", 4);
  auto& pool = b.node("AveragePool", {"x"}, {"y"}, "pool");
  testing::OnnxBuilder::attribute(pool, "kernel_shape", std::vector<int64_t>{2, 2});
  testing::OnnxBuilder::attribute(pool, "strides", std::vector<int64_t>{65536, 65536});
  const workloads::Trace trace = import_to_trace(parse_model(b.bytes(), "m.onnx"), "m").trace;
  const std::string yaml = workloads::trace_to_yaml(trace);
  EXPECT_EQ(workloads::trace_to_yaml(workloads::parse_trace(yaml, "again.yaml")), yaml);
  EXPECT_EQ(yaml.find("stride: 65536"), std::string::npos) << yaml;
}

}  // namespace
}  // namespace npusim::onnx_import
