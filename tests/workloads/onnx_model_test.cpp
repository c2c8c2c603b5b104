// Reading ONNX models: shapes bound and inferred (the exporters' Reshape shape arithmetic folded), and
// every kind of bad model a one-line error naming the file and the node or input.
#include <gtest/gtest.h>

#include <limits>

#include "tests/error_text.hpp"
#include "tests/onnx_builder.hpp"
#include "workloads/onnx/onnx_model.hpp"
#include "workloads/onnx/shape_folding.hpp"

namespace npusim::onnx_import {
namespace {

using testing::error_of;
using testing::OnnxBuilder;

std::string load_error(const std::string& bytes, const InputShapes& shapes = {}) {
  return error_of([&] { parse_model(bytes, "m.onnx", shapes); });
}

TEST(OnnxModel, ReadsConstantsAndInfersEveryShape) {
  const Model m = parse_model(testing::tiny_block_model().bytes(), "m.onnx");
  EXPECT_EQ(m.opset, 13);
  EXPECT_EQ(m.inputs, std::vector<std::string>{"x"});
  EXPECT_EQ(m.outputs, std::vector<std::string>{"y"});
  EXPECT_EQ(m.constant("wq")->shape, (std::vector<int64_t>{8, 8}));
  EXPECT_EQ(m.value("scores")->shape, (std::vector<int64_t>{1, 4, 4}));
  EXPECT_EQ(m.value("h")->shape, (std::vector<int64_t>{1, 4, 16}));
  for (const auto& node : m.nodes) {
    for (const auto& out : node.outputs) EXPECT_TRUE(m.value(out) && m.value(out)->shape_known) << out;
  }
}

// Shape -> Cast -> Slice -> Concat -> Reshape on a dynamic batch, as Paddle exports it; libonnx's own
// data propagation stops at the Cast.
TEST(OnnxModel, FoldsTheShapeArithmeticAroundReshape) {
  OnnxBuilder b(11);
  b.input("x", {-1, 6, 4}).output("y", 3).ints("starts", {0}).ints("ends", {1}).ints("axes", {0}).ints("tail", {3, 8});
  b.node("Shape", {"x"}, {"shape"});
  OnnxBuilder::attribute(b.node("Cast", {"shape"}, {"shape32"}), "to", int64_t{6});
  b.node("Slice", {"shape32", "starts", "ends", "axes"}, {"batch32"});
  OnnxBuilder::attribute(b.node("Cast", {"batch32"}, {"batch"}), "to", int64_t{7});
  OnnxBuilder::attribute(b.node("Concat", {"batch", "tail"}, {"target"}), "axis", int64_t{0});
  b.node("Reshape", {"x", "target"}, {"y"});
  const Model m = parse_model(b.bytes(), "m.onnx", {{"x", {2, 6, 4}}});
  EXPECT_EQ(m.value("y")->shape, (std::vector<int64_t>{2, 3, 8}));
  EXPECT_EQ(m.folded.at("target").ints, (std::vector<int64_t>{2, 3, 8}));
  EXPECT_EQ(m.folded.at("batch").type, ElementType::int64);
}

TEST(OnnxModel, MalformedAndTruncatedFilesAreOneLine) {
  EXPECT_EQ(load_error("this is not a protobuf at all\n"),
            "m.onnx: not an ONNX model (the protobuf does not parse: truncated or another kind of file)");
  const std::string bytes = testing::tiny_block_model().bytes();
  EXPECT_EQ(load_error(bytes.substr(0, bytes.size() / 2)),
            "m.onnx: not an ONNX model (the protobuf does not parse: truncated or another kind of file)");
  EXPECT_EQ(load_error(""), "m.onnx: not an ONNX model (the protobuf does not parse: truncated or another kind of file)");
  EXPECT_NE(error_of([] { load_model("/nonexistent/m.onnx"); }).find("/nonexistent/m.onnx"), std::string::npos);
}

TEST(OnnxModel, AnUnknownOpsetIsRefused) {
  OnnxBuilder b(99);
  b.input("x", {2}).output("y", 1);
  b.node("Relu", {"x"}, {"y"});
  EXPECT_EQ(load_error(b.bytes()), "m.onnx: opset 99 of the default ONNX domain is not supported (this build reads 1..17)");
}

TEST(OnnxModel, AMissingInputShapeNamesTheInput) {
  OnnxBuilder b(13);
  b.input("tokens", {-1, 8}).output("y", 2);
  b.node("Relu", {"tokens"}, {"y"});
  EXPECT_EQ(load_error(b.bytes()),
            "m.onnx: input 'tokens' has shape [dynamic, 8]: give its dimensions with --input-shape tokens=D0,D1,...");
  EXPECT_EQ(load_error(b.bytes(), {{"tokens", {4, 9}}}), "m.onnx: input 'tokens' has shape [dynamic, 8], given [4, 9]");
  EXPECT_EQ(load_error(b.bytes(), {{"tokens", {4}}}), "m.onnx: input 'tokens' has shape [dynamic, 8], given [4]");
  EXPECT_EQ(load_error(b.bytes(), {{"tokens", {4, 8}}, {"words", {4, 8}}}), "m.onnx: the model has no input 'words' (inputs: tokens)");
  EXPECT_EQ(parse_model(b.bytes(), "m.onnx", {{"", {4, 8}}}).value("y")->shape, (std::vector<int64_t>{4, 8}));
}

TEST(OnnxModel, BrokenGraphsNameTheNode) {
  OnnxBuilder dangling(13);
  dangling.input("x", {2}).output("y", 1);
  dangling.node("Relu", {"ghost"}, {"y"}, "act");
  EXPECT_NE(load_error(dangling.bytes()).find("m.onnx: "), std::string::npos);
  EXPECT_NE(load_error(dangling.bytes()).find("ghost"), std::string::npos);

  OnnxBuilder mismatch(13);
  mismatch.input("x", {2, 3}).output("y", 2).weights("w", {4, 5}, testing::test_weights(20, 1));
  mismatch.node("MatMul", {"x", "w"}, {"y"}, "fc1");
  const std::string e = load_error(mismatch.bytes());
  EXPECT_EQ(e.rfind("m.onnx: shape inference: ", 0), 0u) << e;
  EXPECT_NE(e.find("fc1"), std::string::npos) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos);

  OnnxBuilder short_data(13);
  short_data.input("x", {2}).output("y", 2).weights("w", {2, 3}, {1, 2, 3});
  short_data.node("Add", {"x", "w"}, {"y"});
  EXPECT_EQ(load_error(short_data.bytes()), "m.onnx: initializer 'w' holds 3 values for shape [2, 3] (6 expected)");
}

// Attribute values libonnx 1.12's shape inference divides by or indexes with are checked before it
// runs each node (each of these models killed npusim with SIGFPE or SIGSEGV inside libonnx). The models
// are the regression inputs of the onnx fuzz harness.
TEST(OnnxModel, HostileAttributesAreRefusedBeforeLibonnxInfersTheNode) {
  const std::string folder = std::string(NPUSIM_SOURCE_DIR) + "/tests/fuzz/regressions/onnx/";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"conv_zero_strides", "Conv 'conv': attribute strides holds 0, outside 1..2147483648"},
      {"avgpool_zero_strides", "AveragePool 'pool': attribute strides holds 0, outside 1..2147483648"},
      {"conv_weights_rank5", "Conv 'conv': the weights have rank 5 and the input rank 4 (both must be 2 + the spatial rank)"},
      {"convtranspose_weights_rank1",
       "ConvTranspose 'convt': the weights have rank 1 and the input rank 4 (both must be 2 + the spatial rank)"},
      {"depthtospace_blocksize_2p32", "DepthToSpace 'd2s': attribute blocksize is 4294967296, outside 1..2147483648"},
      {"splittosequence_zero_split", "SplitToSequence 'split': a scalar split must be > 0, got 0"},
      {"conv_huge_pads", "Conv 'conv': attribute pads holds 9223372036854775807, outside 0..2147483648"},
      {"conv_huge_dilations", "Conv 'conv': attribute dilations holds 9223372036854775807, outside 1..2147483648"},
  };
  for (const auto& [name, message] : cases) {
    const std::string path = folder + name + ".onnx";
    EXPECT_EQ(error_of([&] { load_model(path); }), path + ": shape inference: " + message);
  }
}

// npusim's own folding of shape arithmetic: INT64_MIN / -1 raised SIGFPE, 2^32 x 2^32 wrapped to 0.
TEST(OnnxModel, ShapeArithmeticThatOverflowsIsAnError) {
  const std::string folder = std::string(NPUSIM_SOURCE_DIR) + "/tests/fuzz/regressions/onnx/";
  EXPECT_EQ(error_of([&] { load_model(folder + "fold_div_int64_min.onnx"); }),
            folder + "fold_div_int64_min.onnx: Div 'div': shape computation: -9223372036854775808 / -1 does not fit in 64 bits");
  EXPECT_EQ(error_of([&] { load_model(folder + "fold_mul_overflow.onnx"); }),
            folder + "fold_mul_overflow.onnx: Mul 'mul': shape computation: 4294967296 x 4294967296 does not fit in 64 bits");
}

// Broadcasting an empty vector with a one-element one gives an empty vector (the fold read the empty
// one's first element; found by the onnx_attributes fuzz harness).
TEST(OnnxModel, FoldedBroadcastOfAnEmptyVectorIsEmpty) {
  const Tensor empty = Tensor::of_ints({0}, {}), one = Tensor::of_ints({1}, {5});
  Node add;
  add.op_type = "Add";
  add.inputs = {"a", "b"};
  add.outputs = {"c"};
  for (const auto& [a, b] : {std::pair{&empty, &one}, std::pair{&one, &empty}}) {
    const auto folded = fold_shape_node(
        add, 13, [&, a = a, b = b](const std::string& name) { return name == "a" ? a : b; },
        [](const std::string&) { return nullptr; });
    ASSERT_TRUE(folded.has_value());
    EXPECT_EQ(folded->at(0).shape, std::vector<int64_t>{0});
    EXPECT_TRUE(folded->at(0).ints.empty());
  }
}

// A folded Slice of a shape with a step at an end of int64 takes one element (INT64_MAX from 1 wrapped
// the loop's index to INT64_MIN and read far outside the shape).
TEST(OnnxModel, FoldedSliceStepsAtTheEndsOfInt64) {
  for (const int64_t step : {std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()}) {
    OnnxBuilder b(11);
    b.input("x", {2, 3, 4}).output("y", 2);
    b.ints("start", {step > 0 ? 1 : -1}).ints("end", {step > 0 ? 3 : -4}).ints("axis0", {0}).ints("step", {step}).ints("rest", {-1});
    b.node("Shape", {"x"}, {"shape"});
    b.node("Slice", {"shape", "start", "end", "axis0", "step"}, {"first"});
    OnnxBuilder::attribute(b.node("Concat", {"first", "rest"}, {"target"}), "axis", int64_t{0});
    b.node("Reshape", {"x", "target"}, {"y"});
    const Model m = parse_model(b.bytes(), "m.onnx");
    // [3] (dim 1) then -1 for the forward step; [4] (the last dim) for the backward one.
    EXPECT_EQ(m.value("y")->shape, step > 0 ? (std::vector<int64_t>{3, 8}) : (std::vector<int64_t>{4, 6})) << step;
  }
}

// The check runs wherever libonnx infers a node: here a Conv with strides 0 inside If branches.
TEST(OnnxModel, AttributesAreCheckedInsideSubgraphs) {
  OnnxBuilder b(13);
  b.input("x", {1, 1, 4, 4}).output("y", 4).weights("w", {1, 1, 1, 1}, {1.0f});
  auto* flag = b.proto().mutable_graph()->add_initializer();
  flag->set_name("flag");
  flag->set_data_type(::onnx::TensorProto::BOOL);
  flag->add_int32_data(1);
  ::onnx::NodeProto& branch_if = b.node("If", {"flag"}, {"y"}, "choose");
  for (const char* branch : {"then_branch", "else_branch"}) {
    auto* a = branch_if.add_attribute();
    a->set_name(branch);
    a->set_type(::onnx::AttributeProto::GRAPH);
    auto* g = a->mutable_g();
    g->set_name(branch);
    auto* conv = g->add_node();
    conv->set_op_type("Conv");
    conv->set_name(std::string(branch) + "_conv");
    conv->add_input("x");
    conv->add_input("w");
    conv->add_output(std::string(branch) + "_y");
    OnnxBuilder::attribute(*conv, "strides", std::vector<int64_t>{0, 0});
    auto* out = g->add_output();
    out->set_name(std::string(branch) + "_y");
    out->mutable_type()->mutable_tensor_type()->set_elem_type(::onnx::TensorProto::FLOAT);
  }
  // libonnx drops errors inside subgraphs (it infers them leniently): the branch is left without a
  // shape instead of raising SIGFPE.
  const Model m = parse_model(b.bytes(), "m.onnx");
  EXPECT_FALSE(m.value("y") != nullptr && m.value("y")->shape_known);
}

TEST(OnnxModel, InputShapeSpecs) {
  EXPECT_EQ(parse_input_shape("x=1,3,48,320"), (std::pair<std::string, std::vector<int64_t>>{"x", {1, 3, 48, 320}}));
  EXPECT_EQ(parse_input_shape("a=b=2").first, "a=b");
  EXPECT_EQ(error_of([] { parse_input_shape("x=1,,3"); }), "input shape 'x=1,,3': '' is not a dimension (a whole number > 0)");
  EXPECT_EQ(error_of([] { parse_input_shape("x"); }), "input shape must be NAME=D0,D1,... (for example x=1,3,48,320), got 'x'");
  EXPECT_EQ(error_of([] { parse_input_shape("x=0,2"); }), "input shape 'x=0,2': '0' is not a dimension (a whole number > 0)");
}

}  // namespace
}  // namespace npusim::onnx_import
