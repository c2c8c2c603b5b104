// A decoder's sizes read off an imported ONNX graph (workloads/onnx/decoder_shape_reader.hpp): the
// Llama-style export of tests/transformer_exports.hpp gives back the sizes it was built with; an encoder,
// a file that is not ONNX and decoders broken in one place each are refused with one line naming what
// was not found.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/cli_runner.hpp"
#include "tests/error_text.hpp"
#include "tests/transformer_exports.hpp"
#include "workloads/onnx/decoder_shape_reader.hpp"

namespace npusim::onnx_import {
namespace {

using testing::OnnxBuilder;

class DecoderShapeReader : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::make_temp_dir("npusim_decoder_shape"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  // The reader's refusal of `model` (saved to a file), or "" when it reads a shape.
  std::string refusal_of(const OnnxBuilder& model) {
    const std::string path = dir_ + "/model.onnx";
    model.save(path);
    return testing::error_of([&] { load_decoder_shape(path, "model"); });
  }
  // The node of `builder` writing `output`.
  static ::onnx::NodeProto& node_writing(OnnxBuilder& builder, const std::string& output) {
    for (auto& n : *builder.proto().mutable_graph()->mutable_node()) {
      if (n.output_size() > 0 && n.output(0) == output) return n;
    }
    throw Error("no node writes " + output);
  }
  std::string dir_;
};

TEST_F(DecoderShapeReader, ReadsTheLlamaExportsSizes) {
  const testing::DecoderWeights w = testing::decoder_weights();
  const std::string path = dir_ + "/llama.onnx";
  testing::llama_decoder_model(w).save(path);
  const workloads::DecoderShape s = load_decoder_shape(path, "llama");
  EXPECT_EQ(s.model, "llama");
  EXPECT_EQ(s.layers, 1);
  EXPECT_EQ(s.hidden, w.hidden);
  EXPECT_EQ(s.heads, w.heads);
  EXPECT_EQ(s.kv_heads, w.heads);  // the export has no grouped-query attention
  EXPECT_EQ(s.head_dim, w.head_dim);
  EXPECT_EQ(s.mlp, w.mlp);
  EXPECT_EQ(s.vocab, w.vocab);
  EXPECT_EQ(s.activation, workloads::OpType::silu);
  EXPECT_EQ(s.norm, workloads::OpType::rmsnorm);
}

TEST_F(DecoderShapeReader, RefusesAnEncoderForItsMaskIsNotCausal) {
  EXPECT_EQ(refusal_of(testing::tf2onnx_encoder_model(testing::encoder_weights())),
            dir_ + "/model.onnx: not a decoder npusim can generate with: layer 0 (softmax 'attention/probs:0'): no causal mask on the attention "
                   "scores (a Trilu, a comparison of positions, or a constant triangular mask, added to or selected into them)");
}

TEST_F(DecoderShapeReader, RefusesWhatIsNotADecoderSayingWhatIsMissing) {
  const std::string prefix = dir_ + "/model.onnx: not a decoder npusim can generate with: ";
  EXPECT_EQ(refusal_of(testing::tiny_block_model()), prefix +
            "layer 0 (softmax 'probs'): no causal mask on the attention scores (a Trilu, a comparison of positions, or a constant "
            "triangular mask, added to or selected into them)");
  {
    std::ofstream(dir_ + "/text.onnx") << "not a model";
    EXPECT_EQ(testing::error_of([&] { load_decoder_shape(dir_ + "/text.onnx", "text"); }),
              dir_ + "/text.onnx: not an ONNX model (the protobuf does not parse: truncated or another kind of file)");
  }
  const testing::DecoderWeights w = testing::decoder_weights();
  {  // the mask computed but not applied
    OnnxBuilder b = testing::llama_decoder_model(w);
    node_writing(b, "probs").set_input(0, "scaled");
    EXPECT_EQ(refusal_of(b), prefix + "layer 0 (softmax 'probs'): no causal mask on the attention scores (a Trilu, a comparison of positions, "
                                      "or a constant triangular mask, added to or selected into them)");
  }
  {  // SwiGLU without its up projection
    OnnxBuilder b = testing::llama_decoder_model(w);
    node_writing(b, "gated").set_input(1, "gate_silu");
    EXPECT_EQ(refusal_of(b), prefix + "layer 0 (softmax 'probs'): the MLP is silu without a gate; npusim's decoders take SiLU with one "
                                      "(SwiGLU), ReLU or GELU without");
  }
  {  // the LM head on the residual stream, no final norm
    OnnxBuilder b = testing::llama_decoder_model(w);
    node_writing(b, "logits").set_input(0, "h2");
    EXPECT_EQ(refusal_of(b), prefix + "the LM head reads 'h2', not the final norm's output");
  }
  {  // no attention at all
    OnnxBuilder b(14);
    b.input("x", {1, -1, 8}).output("y", 3).weights("w", {8, 8}, testing::test_weights(64, 9));
    b.node("MatMul", {"x", "w"}, {"h"});
    b.node("Relu", {"h"}, {"y"});
    EXPECT_EQ(refusal_of(b), prefix + "no attention (no softmax in the graph)");
  }
}

}  // namespace
}  // namespace npusim::onnx_import
