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

// Every field of a shape, for comparing two at once with a readable difference.
std::string sizes_of(const workloads::DecoderShape& s) {
  return s.model + ": " + std::to_string(s.layers) + " layers, hidden " + std::to_string(s.hidden) + ", " + std::to_string(s.heads) + " heads (" +
         std::to_string(s.kv_heads) + " kv) of " + std::to_string(s.head_dim) + ", MLP " + std::to_string(s.mlp) + " " +
         std::string(workloads::op_type_name(s.activation)) + ", " + std::string(workloads::op_type_name(s.norm)) + ", vocabulary " +
         std::to_string(s.vocab);
}

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
  // The export has no grouped-query attention: as many KV heads as heads.
  EXPECT_EQ(sizes_of(load_decoder_shape(path, "llama")),
            sizes_of({"llama", 1, w.hidden, w.heads, w.heads, w.head_dim, w.mlp, w.vocab, workloads::OpType::silu, workloads::OpType::rmsnorm}));
}

// Two layers of grouped-query attention (4 query heads, 2 KV heads repeated to 4 by Unsqueeze-Expand-
// Reshape before the scores, as Hugging Face's repeat_kv exports), a constant triangular mask (or, not
// `causal`, one hiding the first key from every query), separate Q, K, V projections and a ReLU MLP, at
// a fixed sequence length of 5.
OnnxBuilder grouped_query_decoder(int64_t hidden, int64_t heads, int64_t kv_heads, int64_t head_dim, int64_t mlp, int64_t vocab,
                                  bool causal = true) {
  constexpr int64_t tokens = 5;
  OnnxBuilder b(14);
  b.input("ids", {1, tokens}, ::onnx::TensorProto::INT64).output("logits", 3);
  b.weights("embed", {vocab, hidden}, testing::test_weights(static_cast<size_t>(vocab * hidden), 1));
  std::vector<float> mask(tokens * tokens, 0.0f);
  for (int64_t i = 0; i < tokens; ++i) {
    for (int64_t j = 0; j < tokens; ++j) {
      if (causal ? j > i : j == 0) mask[static_cast<size_t>(i * tokens + j)] = -1e9f;
    }
  }
  b.weights("mask", {1, 1, tokens, tokens}, mask);
  b.int_weights("q_shape", {4}, {1, tokens, heads, head_dim}).int_weights("kv_shape", {4}, {1, tokens, kv_heads, head_dim});
  b.int_weights("axis2", {1}, {2}).int_weights("repeat", {5}, {1, kv_heads, heads / kv_heads, tokens, head_dim});
  b.int_weights("heads_shape", {4}, {1, heads, tokens, head_dim}).int_weights("merged", {3}, {1, tokens, heads * head_dim});
  b.node("Gather", {"embed", "ids"}, {"x0"});
  std::string x = "x0";
  const std::vector<float> norm_weight(static_cast<size_t>(hidden), 1.0f);
  for (int layer = 0; layer < 2; ++layer) {
    const std::string p = "l" + std::to_string(layer) + ".";
    uint32_t seed = 10 + 10 * static_cast<uint32_t>(layer);
    const auto weights = [&](const std::string& name, int64_t rows, int64_t cols) {
      b.weights(p + name, {rows, cols}, testing::test_weights(static_cast<size_t>(rows * cols), seed++));
    };
    weights("wq", hidden, heads * head_dim), weights("wk", hidden, kv_heads * head_dim), weights("wv", hidden, kv_heads * head_dim);
    weights("wo", heads * head_dim, hidden), weights("w1", hidden, mlp), weights("w2", mlp, hidden);
    testing::pytorch_rmsnorm(b, x, p + "n1", p + "norm1", norm_weight, 1e-6f);
    b.node("MatMul", {p + "n1", p + "wq"}, {p + "q"});
    b.node("Reshape", {p + "q", "q_shape"}, {p + "q4"});
    OnnxBuilder::attribute(b.node("Transpose", {p + "q4"}, {p + "qh"}), "perm", std::vector<int64_t>{0, 2, 1, 3});
    for (const std::string t : {"k", "v"}) {
      b.node("MatMul", {p + "n1", p + "w" + t}, {p + t});
      b.node("Reshape", {p + t, "kv_shape"}, {p + t + "4"});
      OnnxBuilder::attribute(b.node("Transpose", {p + t + "4"}, {p + t + "h"}), "perm", std::vector<int64_t>{0, 2, 1, 3});
      b.node("Unsqueeze", {p + t + "h", "axis2"}, {p + t + "5"});
      b.node("Expand", {p + t + "5", "repeat"}, {p + t + "x"});
      b.node("Reshape", {p + t + "x", "heads_shape"}, {p + t + "r"});
    }
    OnnxBuilder::attribute(b.node("Transpose", {p + "kr"}, {p + "kt"}), "perm", std::vector<int64_t>{0, 1, 3, 2});
    b.node("MatMul", {p + "qh", p + "kt"}, {p + "scores"});
    b.node("Add", {p + "scores", "mask"}, {p + "masked"});
    OnnxBuilder::attribute(b.node("Softmax", {p + "masked"}, {p + "probs"}), "axis", int64_t{-1});
    b.node("MatMul", {p + "probs", p + "vr"}, {p + "ctx"});
    OnnxBuilder::attribute(b.node("Transpose", {p + "ctx"}, {p + "ctx_t"}), "perm", std::vector<int64_t>{0, 2, 1, 3});
    b.node("Reshape", {p + "ctx_t", "merged"}, {p + "ctx3"});
    b.node("MatMul", {p + "ctx3", p + "wo"}, {p + "attn"});
    b.node("Add", {x, p + "attn"}, {p + "h"});
    testing::pytorch_rmsnorm(b, p + "h", p + "n2", p + "norm2", norm_weight, 1e-6f);
    b.node("MatMul", {p + "n2", p + "w1"}, {p + "f"});
    b.node("Relu", {p + "f"}, {p + "r"});
    b.node("MatMul", {p + "r", p + "w2"}, {p + "d"});
    b.node("Add", {p + "h", p + "d"}, {p + "out"});
    x = p + "out";
  }
  testing::pytorch_rmsnorm(b, x, "final", "final_norm", norm_weight, 1e-6f);
  b.weights("lm_head", {hidden, vocab}, testing::test_weights(static_cast<size_t>(hidden * vocab), 99));
  b.node("MatMul", {"final", "lm_head"}, {"logits"});
  return b;
}

TEST_F(DecoderShapeReader, ReadsGroupedQueryAttentionBehindRepeatKv) {
  const std::string path = dir_ + "/gqa.onnx";
  grouped_query_decoder(24, 4, 2, 6, 40, 50).save(path);
  EXPECT_EQ(sizes_of(load_decoder_shape(path, "gqa")), sizes_of({"gqa", 2, 24, 4, 2, 6, 40, 50, workloads::OpType::relu, workloads::OpType::rmsnorm}));
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
  EXPECT_EQ(refusal_of(grouped_query_decoder(24, 4, 2, 6, 40, 50, false)), prefix +
            "layer 0 (softmax 'l0.probs'): no causal mask on the attention scores (a Trilu, a comparison of positions, or a constant "
            "triangular mask, added to or selected into them)");
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
