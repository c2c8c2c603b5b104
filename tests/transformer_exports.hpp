// Two small Transformers written node for node the way exporters write them, with their weights, and a
// double-precision forward pass of each written from the maths (not from the graph), for the tests:
//
// - a Llama-style decoder as PyTorch's exporter writes it (opset 14): int64 token ids through a Gather
//   embedding, RMSNorm as Pow-ReduceMean-Add-Sqrt-Div(1, .)-Mul-Cast-Mul(weight, .), a fused QKV
//   projection cut by Split, heads shaped through Shape-Gather-Unsqueeze-Concat, rotary embeddings from
//   Range-Cast-Unsqueeze-Mul-Concat-Cos-Sin with rotate_half as Slice-Neg-Concat, a causal mask from
//   Range-Unsqueeze-Greater-Where-Expand (finfo.min where masked), Softmax, a SwiGLU MLP
//   (x * Sigmoid(x)), and a final RMSNorm and LM head: logits [1, T, vocab];
// - a BERT-style encoder as tf2onnx writes a Keras model (opset 13): int32 input ids and attention mask
//   (names ending ":0"), word embeddings by Gather plus position embeddings sliced to the sequence, Keras's
//   LayerNorm (x * (gamma / std) + (beta - mean * gamma / std), SquaredDifference as Sub and Mul) and the
//   form Mul(Mul(gamma, Reciprocal(Sqrt(var + eps))), d), the additive mask (1 - mask) * -10000, GELU as
//   Mul(0.5, x) * Add(1, Erf(x / sqrt 2)), and a Tanh pooler over the first token.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "tests/onnx_builder.hpp"

namespace npusim::testing {

// ---- the decoder

struct DecoderWeights {
  int64_t vocab = 32, hidden = 16, heads = 2, head_dim = 8, mlp = 24;
  float epsilon = 1e-6f;
  std::vector<float> embedding, qkv, wo, wg, wu, wd, lm_head, norm1, norm2, norm3, inv_freq;
};

inline DecoderWeights decoder_weights() {
  DecoderWeights w;
  const auto h = static_cast<size_t>(w.hidden), v = static_cast<size_t>(w.vocab), m = static_cast<size_t>(w.mlp);
  w.embedding = test_weights(v * h, 301, 1.0f);
  w.qkv = test_weights(h * 3 * h, 302, 0.4f);
  w.wo = test_weights(h * h, 303, 0.3f);
  w.wg = test_weights(h * m, 304, 0.4f);
  w.wu = test_weights(h * m, 305, 0.4f);
  w.wd = test_weights(m * h, 306, 0.3f);
  w.lm_head = test_weights(h * v, 307, 0.5f);
  uint32_t seed = 310;
  for (auto* norm : {&w.norm1, &w.norm2, &w.norm3}) {
    *norm = test_weights(h, seed++, 0.2f);
    for (float& g : *norm) g += 1.0f;
  }
  for (int64_t i = 0; i < w.head_dim / 2; ++i) w.inv_freq.push_back(static_cast<float>(std::pow(10000.0, -2.0 * static_cast<double>(i) / static_cast<double>(w.head_dim))));
  return w;
}

// RMSNorm as PyTorch exports LlamaRMSNorm: x * (1 / sqrt(mean(x^2) + eps)), cast, times the weight.
inline void pytorch_rmsnorm(OnnxBuilder& b, const std::string& x, const std::string& y, const std::string& p, const std::vector<float>& weight,
                            float epsilon) {
  b.scalar(p + ".two", 2.0f).scalar(p + ".eps", epsilon).weights(p + ".one", {1}, {1.0f});
  b.weights(p + ".weight", {static_cast<int64_t>(weight.size())}, weight);
  b.node("Pow", {x, p + ".two"}, {p + ".sq"});
  OnnxBuilder::attribute(b.node("ReduceMean", {p + ".sq"}, {p + ".var"}), "axes", std::vector<int64_t>{-1});
  b.node("Add", {p + ".var", p + ".eps"}, {p + ".ve"});
  b.node("Sqrt", {p + ".ve"}, {p + ".std"});
  b.node("Div", {p + ".one", p + ".std"}, {p + ".r"});
  b.node("Mul", {x, p + ".r"}, {p + ".n"});
  OnnxBuilder::attribute(b.node("Cast", {p + ".n"}, {p + ".c"}), "to", int64_t{::onnx::TensorProto::FLOAT});
  b.node("Mul", {p + ".weight", p + ".c"}, {y});
}

inline OnnxBuilder llama_decoder_model(const DecoderWeights& w) {
  const int64_t h = w.hidden, nh = w.heads, hd = w.head_dim;
  OnnxBuilder b(14);
  b.input("input_ids", {1, -1}, ::onnx::TensorProto::INT64).output("logits", 3);
  b.weights("embed", {w.vocab, h}, w.embedding).weights("wqkv", {h, 3 * h}, w.qkv).weights("wo", {h, h}, w.wo);
  b.weights("wg", {h, w.mlp}, w.wg).weights("wu", {h, w.mlp}, w.wu).weights("wd", {w.mlp, h}, w.wd).weights("lm_head", {h, w.vocab}, w.lm_head);
  b.weights("inv_freq", {hd / 2}, w.inv_freq).scalar("sqrt_hd", std::sqrt(static_cast<float>(hd)));
  b.scalar("finfo_min", -3.4028234663852886e38f).scalar("zero_f", 0.0f);
  b.int_weights("i0", {}, {0}).int_weights("i1", {}, {1}).int_weights("c1", {1}, {1}).int_weights("nh", {1}, {nh}).int_weights("hd", {1}, {hd});
  b.int_weights("hidden", {1}, {h}).int_weights("axis0", {1}, {0}).int_weights("axis1", {1}, {1}).int_weights("axis3", {1}, {3});
  b.int_weights("split", {3}, {h, h, h}).int_weights("half", {1}, {hd / 2}).int_weights("full", {1}, {hd});

  b.node("Gather", {"embed", "input_ids"}, {"h0"});
  pytorch_rmsnorm(b, "h0", "n1", "norm1", w.norm1, w.epsilon);
  b.node("MatMul", {"n1", "wqkv"}, {"qkv"});
  OnnxBuilder::attribute(b.node("Split", {"qkv", "split"}, {"q", "k", "v"}), "axis", int64_t{2});
  // The sequence length from the ids' shape, and the heads' shape [1, T, heads, head_dim].
  b.node("Shape", {"input_ids"}, {"ids_shape"});
  b.node("Gather", {"ids_shape", "i1"}, {"T"});
  b.node("Unsqueeze", {"T", "axis0"}, {"T1"});
  OnnxBuilder::attribute(b.node("Concat", {"c1", "T1", "nh", "hd"}, {"heads_shape"}), "axis", int64_t{0});
  for (const std::string t : {"q", "k", "v"}) {
    b.node("Reshape", {t, "heads_shape"}, {t + "4"});
    OnnxBuilder::attribute(b.node("Transpose", {t + "4"}, {t + "h"}), "perm", std::vector<int64_t>{0, 2, 1, 3});
  }
  // Rotary embeddings.
  b.node("Range", {"i0", "T", "i1"}, {"pos"});
  OnnxBuilder::attribute(b.node("Cast", {"pos"}, {"pos_f"}), "to", int64_t{::onnx::TensorProto::FLOAT});
  b.node("Unsqueeze", {"pos_f", "axis1"}, {"pos_col"});
  b.node("Mul", {"pos_col", "inv_freq"}, {"freqs"});
  OnnxBuilder::attribute(b.node("Concat", {"freqs", "freqs"}, {"angles"}), "axis", int64_t{-1});
  b.node("Cos", {"angles"}, {"cos"});
  b.node("Sin", {"angles"}, {"sin"});
  for (const std::string t : {"q", "k"}) {
    b.node("Slice", {t + "h", "axis0", "half", "axis3"}, {t + "_lo"});
    b.node("Slice", {t + "h", "half", "full", "axis3"}, {t + "_hi"});
    b.node("Neg", {t + "_hi"}, {t + "_neg"});
    OnnxBuilder::attribute(b.node("Concat", {t + "_neg", t + "_lo"}, {t + "_rot"}), "axis", int64_t{-1});
    b.node("Mul", {t + "h", "cos"}, {t + "_cos"});
    b.node("Mul", {t + "_rot", "sin"}, {t + "_sin"});
    b.node("Add", {t + "_cos", t + "_sin"}, {t + "r"});
  }
  // Causal mask: finfo.min where a key comes after the query.
  b.node("Unsqueeze", {"pos", "axis1"}, {"query_pos"});
  b.node("Unsqueeze", {"pos", "axis0"}, {"key_pos"});
  b.node("Greater", {"key_pos", "query_pos"}, {"future"});
  b.node("Where", {"future", "finfo_min", "zero_f"}, {"mask2"});
  OnnxBuilder::attribute(b.node("Concat", {"c1", "c1", "T1", "T1"}, {"mask_shape"}), "axis", int64_t{0});
  b.node("Expand", {"mask2", "mask_shape"}, {"mask"});
  OnnxBuilder::attribute(b.node("Transpose", {"kr"}, {"kt"}), "perm", std::vector<int64_t>{0, 1, 3, 2});
  b.node("MatMul", {"qr", "kt"}, {"scores"});
  b.node("Div", {"scores", "sqrt_hd"}, {"scaled"});
  b.node("Add", {"scaled", "mask"}, {"masked"});
  OnnxBuilder::attribute(b.node("Softmax", {"masked"}, {"probs"}), "axis", int64_t{-1});
  b.node("MatMul", {"probs", "vh"}, {"ctx"});
  OnnxBuilder::attribute(b.node("Transpose", {"ctx"}, {"ctx_t"}), "perm", std::vector<int64_t>{0, 2, 1, 3});
  OnnxBuilder::attribute(b.node("Concat", {"c1", "T1", "hidden"}, {"ctx_shape"}), "axis", int64_t{0});
  b.node("Reshape", {"ctx_t", "ctx_shape"}, {"ctx3"});
  b.node("MatMul", {"ctx3", "wo"}, {"attn_out"});
  b.node("Add", {"h0", "attn_out"}, {"h1"});
  // SwiGLU MLP.
  pytorch_rmsnorm(b, "h1", "n2", "norm2", w.norm2, w.epsilon);
  b.node("MatMul", {"n2", "wg"}, {"gate"});
  b.node("Sigmoid", {"gate"}, {"gate_sigmoid"});
  b.node("Mul", {"gate", "gate_sigmoid"}, {"gate_silu"});
  b.node("MatMul", {"n2", "wu"}, {"up"});
  b.node("Mul", {"gate_silu", "up"}, {"gated"});
  b.node("MatMul", {"gated", "wd"}, {"down"});
  b.node("Add", {"h1", "down"}, {"h2"});
  pytorch_rmsnorm(b, "h2", "n3", "norm3", w.norm3, w.epsilon);
  b.node("MatMul", {"n3", "lm_head"}, {"logits"});
  return b;
}

// out [rows, n] = x [rows, k] w [k, n], in double.
inline std::vector<double> reference_matmul(const std::vector<double>& x, const std::vector<float>& w, int64_t rows, int64_t k, int64_t n) {
  std::vector<double> out(static_cast<size_t>(rows * n), 0.0);
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t j = 0; j < k; ++j) {
      for (int64_t c = 0; c < n; ++c) out[static_cast<size_t>(r * n + c)] += x[static_cast<size_t>(r * k + j)] * w[static_cast<size_t>(j * n + c)];
    }
  }
  return out;
}

// Softmax of each row of scores [rows, n] where `allowed(r, c)`; other entries get 0.
template <class Allowed>
std::vector<double> reference_softmax(const std::vector<double>& scores, int64_t rows, int64_t n, Allowed allowed) {
  std::vector<double> p(scores.size(), 0.0);
  for (int64_t r = 0; r < rows; ++r) {
    double m = -INFINITY, sum = 0.0;
    for (int64_t c = 0; c < n; ++c) {
      if (allowed(r, c)) m = std::max(m, scores[static_cast<size_t>(r * n + c)]);
    }
    for (int64_t c = 0; c < n; ++c) {
      if (allowed(r, c)) sum += p[static_cast<size_t>(r * n + c)] = std::exp(scores[static_cast<size_t>(r * n + c)] - m);
    }
    for (int64_t c = 0; c < n; ++c) p[static_cast<size_t>(r * n + c)] /= sum;
  }
  return p;
}

// The decoder's logits [T * vocab] for `ids`, from its definition: RMSNorm, attention with rotary
// embeddings and a causal mask, SwiGLU, RMSNorm, LM head.
inline std::vector<double> llama_decoder_reference(const DecoderWeights& w, const std::vector<int64_t>& ids) {
  const int64_t t_len = static_cast<int64_t>(ids.size()), h = w.hidden, hd = w.head_dim;
  auto rms = [&](const std::vector<double>& x, const std::vector<float>& g) {
    std::vector<double> y(x.size());
    for (int64_t t = 0; t < t_len; ++t) {
      double ms = 0.0;
      for (int64_t c = 0; c < h; ++c) ms += x[static_cast<size_t>(t * h + c)] * x[static_cast<size_t>(t * h + c)];
      const double r = 1.0 / std::sqrt(ms / static_cast<double>(h) + static_cast<double>(w.epsilon));
      for (int64_t c = 0; c < h; ++c) y[static_cast<size_t>(t * h + c)] = x[static_cast<size_t>(t * h + c)] * r * g[static_cast<size_t>(c)];
    }
    return y;
  };
  std::vector<double> h0;
  for (const int64_t id : ids) {
    for (int64_t c = 0; c < h; ++c) h0.push_back(w.embedding[static_cast<size_t>(id * h + c)]);
  }
  const std::vector<double> qkv = reference_matmul(rms(h0, w.norm1), w.qkv, t_len, h, 3 * h);
  // Rotary: pairs (d, d + hd / 2) rotated by t * inv_freq[d].
  auto rotated = [&](int64_t t, int64_t offset) {
    std::vector<double> r(static_cast<size_t>(hd));
    for (int64_t d = 0; d < hd; ++d) {
      const double angle = static_cast<double>(t) * static_cast<double>(w.inv_freq[static_cast<size_t>(d % (hd / 2))]);
      const double x = qkv[static_cast<size_t>(t * 3 * h + offset + d)];
      const double partner = d < hd / 2 ? -qkv[static_cast<size_t>(t * 3 * h + offset + d + hd / 2)] : qkv[static_cast<size_t>(t * 3 * h + offset + d - hd / 2)];
      r[static_cast<size_t>(d)] = x * std::cos(angle) + partner * std::sin(angle);
    }
    return r;
  };
  std::vector<double> ctx(static_cast<size_t>(t_len * h), 0.0);
  for (int64_t head = 0; head < w.heads; ++head) {
    std::vector<double> scores(static_cast<size_t>(t_len * t_len));
    for (int64_t i = 0; i < t_len; ++i) {
      const auto q = rotated(i, head * hd);
      for (int64_t j = 0; j < t_len; ++j) {
        const auto k = rotated(j, h + head * hd);
        double dot = 0.0;
        for (int64_t d = 0; d < hd; ++d) dot += q[static_cast<size_t>(d)] * k[static_cast<size_t>(d)];
        scores[static_cast<size_t>(i * t_len + j)] = dot / std::sqrt(static_cast<double>(hd));
      }
    }
    const auto p = reference_softmax(scores, t_len, t_len, [](int64_t i, int64_t j) { return j <= i; });
    for (int64_t i = 0; i < t_len; ++i) {
      for (int64_t j = 0; j < t_len; ++j) {
        for (int64_t d = 0; d < hd; ++d) {
          ctx[static_cast<size_t>(i * h + head * hd + d)] += p[static_cast<size_t>(i * t_len + j)] * qkv[static_cast<size_t>(j * 3 * h + 2 * h + head * hd + d)];
        }
      }
    }
  }
  std::vector<double> h1 = reference_matmul(ctx, w.wo, t_len, h, h);
  for (size_t i = 0; i < h1.size(); ++i) h1[i] += h0[i];
  const std::vector<double> n2 = rms(h1, w.norm2);
  const std::vector<double> gate = reference_matmul(n2, w.wg, t_len, h, w.mlp), up = reference_matmul(n2, w.wu, t_len, h, w.mlp);
  std::vector<double> gated(gate.size());
  for (size_t i = 0; i < gate.size(); ++i) gated[i] = gate[i] / (1.0 + std::exp(-gate[i])) * up[i];
  std::vector<double> h2 = reference_matmul(gated, w.wd, t_len, w.mlp, h);
  for (size_t i = 0; i < h2.size(); ++i) h2[i] += h1[i];
  return reference_matmul(rms(h2, w.norm3), w.lm_head, t_len, h, w.vocab);
}

// ---- the encoder

struct EncoderWeights {
  int64_t vocab = 40, hidden = 16, heads = 2, head_dim = 8, mlp = 32, positions = 12;
  float epsilon = 1e-12f;
  std::vector<float> word, position, wq, bq, wk, bk, wv, bv, wo, bo, w1, b1, w2, b2, wp, bp;
  std::vector<float> gamma[3], beta[3];
};

inline EncoderWeights encoder_weights() {
  EncoderWeights w;
  const auto h = static_cast<size_t>(w.hidden), m = static_cast<size_t>(w.mlp);
  w.word = test_weights(static_cast<size_t>(w.vocab) * h, 401, 1.0f);
  w.position = test_weights(static_cast<size_t>(w.positions) * h, 402, 0.3f);
  uint32_t seed = 410;
  for (auto* t : {&w.wq, &w.wk, &w.wv, &w.wo, &w.wp}) *t = test_weights(h * h, seed++, 0.4f);
  for (auto* t : {&w.bq, &w.bk, &w.bv, &w.bo, &w.bp, &w.b2}) *t = test_weights(h, seed++, 0.1f);
  w.w1 = test_weights(h * m, seed++, 0.4f);
  w.w2 = test_weights(m * h, seed++, 0.3f);
  w.b1 = test_weights(m, seed++, 0.1f);
  for (int i = 0; i < 3; ++i) {
    w.gamma[i] = test_weights(h, seed++, 0.2f);
    for (float& g : w.gamma[i]) g += 1.0f;
    w.beta[i] = test_weights(h, seed++, 0.1f);
  }
  return w;
}

// Keras's LayerNormalization through tf2onnx: y = x * (gamma / std) + (beta - mean * gamma / std).
inline void keras_layernorm(OnnxBuilder& b, const std::string& x, const std::string& y, const std::string& p, const std::vector<float>& gamma,
                            const std::vector<float>& beta, float epsilon) {
  const int64_t n = static_cast<int64_t>(gamma.size());
  b.scalar(p + "/eps:0", epsilon).weights(p + "/gamma:0", {n}, gamma).weights(p + "/beta:0", {n}, beta);
  OnnxBuilder::attribute(b.node("ReduceMean", {x}, {p + "/mean:0"}), "axes", std::vector<int64_t>{-1});
  b.node("Sub", {x, p + "/mean:0"}, {p + "/SquaredDifference_sub:0"});
  b.node("Mul", {p + "/SquaredDifference_sub:0", p + "/SquaredDifference_sub:0"}, {p + "/SquaredDifference:0"});
  OnnxBuilder::attribute(b.node("ReduceMean", {p + "/SquaredDifference:0"}, {p + "/variance:0"}), "axes", std::vector<int64_t>{-1});
  b.node("Add", {p + "/variance:0", p + "/eps:0"}, {p + "/add:0"});
  b.node("Sqrt", {p + "/add:0"}, {p + "/Rsqrt_sqrt:0"});
  b.node("Reciprocal", {p + "/Rsqrt_sqrt:0"}, {p + "/Rsqrt:0"});
  b.node("Mul", {p + "/Rsqrt:0", p + "/gamma:0"}, {p + "/mul:0"});
  b.node("Mul", {x, p + "/mul:0"}, {p + "/mul_1:0"});
  b.node("Mul", {p + "/mean:0", p + "/mul:0"}, {p + "/mul_2:0"});
  b.node("Sub", {p + "/beta:0", p + "/mul_2:0"}, {p + "/sub:0"});
  b.node("Add", {p + "/mul_1:0", p + "/sub:0"}, {y});
}

// LayerNorm as tf2onnx writes a hand-written one: Mul(Mul(gamma, Reciprocal(Sqrt(var + eps))), d) + beta.
inline void tf2onnx_layernorm(OnnxBuilder& b, const std::string& x, const std::string& y, const std::string& p, const std::vector<float>& gamma,
                              const std::vector<float>& beta, float epsilon) {
  const int64_t n = static_cast<int64_t>(gamma.size());
  b.scalar(p + "/eps:0", epsilon).scalar(p + "/two:0", 2.0f).weights(p + "/gamma:0", {n}, gamma).weights(p + "/beta:0", {n}, beta);
  OnnxBuilder::attribute(b.node("ReduceMean", {x}, {p + "/mean:0"}), "axes", std::vector<int64_t>{-1});
  b.node("Sub", {x, p + "/mean:0"}, {p + "/d:0"});
  b.node("Pow", {p + "/d:0", p + "/two:0"}, {p + "/sq:0"});
  OnnxBuilder::attribute(b.node("ReduceMean", {p + "/sq:0"}, {p + "/var:0"}), "axes", std::vector<int64_t>{-1});
  b.node("Add", {p + "/var:0", p + "/eps:0"}, {p + "/ve:0"});
  b.node("Sqrt", {p + "/ve:0"}, {p + "/std:0"});
  b.node("Reciprocal", {p + "/std:0"}, {p + "/r:0"});
  b.node("Mul", {p + "/gamma:0", p + "/r:0"}, {p + "/gr:0"});
  b.node("Mul", {p + "/gr:0", p + "/d:0"}, {p + "/n:0"});
  b.node("Add", {p + "/n:0", p + "/beta:0"}, {y});
}

inline OnnxBuilder tf2onnx_encoder_model(const EncoderWeights& w) {
  const int64_t h = w.hidden, hd = w.head_dim, nh = w.heads;
  OnnxBuilder b(13);
  b.input("input_ids:0", {1, -1}, ::onnx::TensorProto::INT32).input("attention_mask:0", {1, -1}, ::onnx::TensorProto::INT32);
  b.output("sequence_output:0", 3).output("pooled_output:0", 2);
  b.weights("word_embeddings:0", {w.vocab, h}, w.word).weights("position_embeddings:0", {w.positions, h}, w.position);
  const std::pair<const char*, const std::vector<float>*> matrices[] = {{"wq", &w.wq}, {"wk", &w.wk}, {"wv", &w.wv}, {"wo", &w.wo}, {"wp", &w.wp}};
  for (const auto& [name, values] : matrices) b.weights(std::string(name) + ":0", {h, h}, *values);
  const std::pair<const char*, const std::vector<float>*> biases[] = {{"bq", &w.bq}, {"bk", &w.bk}, {"bv", &w.bv}, {"bo", &w.bo}, {"bp", &w.bp}, {"b2", &w.b2}};
  for (const auto& [name, values] : biases) b.weights(std::string(name) + ":0", {h}, *values);
  b.weights("w1:0", {h, w.mlp}, w.w1).weights("b1:0", {w.mlp}, w.b1).weights("w2:0", {w.mlp, h}, w.w2);
  b.scalar("scale:0", 1.0f / std::sqrt(static_cast<float>(hd))).scalar("one:0", 1.0f).scalar("neg:0", -10000.0f);
  b.scalar("half:0", 0.5f).scalar("sqrt2:0", 1.4142135f);
  b.int_weights("zero:0", {1}, {0}).int_weights("one_i:0", {1}, {1}).int_weights("two_i:0", {1}, {2}).int_weights("first:0", {}, {0});
  b.int_weights("mask_axes:0", {2}, {1, 2}).int_weights("heads_shape:0", {4}, {1, -1, nh, hd}).int_weights("seq_shape:0", {3}, {1, -1, h});

  b.node("Gather", {"word_embeddings:0", "input_ids:0"}, {"embeddings/word:0"});
  b.node("Shape", {"input_ids:0"}, {"embeddings/Shape:0"});
  b.node("Slice", {"embeddings/Shape:0", "one_i:0", "two_i:0", "zero:0"}, {"embeddings/seq_len:0"});
  b.node("Slice", {"position_embeddings:0", "zero:0", "embeddings/seq_len:0", "zero:0"}, {"embeddings/position:0"});
  b.node("Add", {"embeddings/word:0", "embeddings/position:0"}, {"embeddings/add:0"});
  keras_layernorm(b, "embeddings/add:0", "embeddings/LayerNorm:0", "embeddings/LayerNorm", w.gamma[0], w.beta[0], w.epsilon);
  const std::string x = "embeddings/LayerNorm:0";
  for (const std::string t : {"q", "k", "v"}) {
    b.node("MatMul", {x, "w" + t + ":0"}, {"attention/" + t + "_mm:0"});
    b.node("Add", {"attention/" + t + "_mm:0", "b" + t + ":0"}, {"attention/" + t + ":0"});
    b.node("Reshape", {"attention/" + t + ":0", "heads_shape:0"}, {"attention/" + t + "4:0"});
    OnnxBuilder::attribute(b.node("Transpose", {"attention/" + t + "4:0"}, {"attention/" + t + "h:0"}), "perm",
                           t == "k" ? std::vector<int64_t>{0, 2, 3, 1} : std::vector<int64_t>{0, 2, 1, 3});
  }
  b.node("MatMul", {"attention/qh:0", "attention/kh:0"}, {"attention/scores:0"});
  b.node("Mul", {"attention/scores:0", "scale:0"}, {"attention/scaled:0"});
  OnnxBuilder::attribute(b.node("Cast", {"attention_mask:0"}, {"attention/mask_f:0"}), "to", int64_t{::onnx::TensorProto::FLOAT});
  b.node("Unsqueeze", {"attention/mask_f:0", "mask_axes:0"}, {"attention/mask4:0"});
  b.node("Sub", {"one:0", "attention/mask4:0"}, {"attention/inverted:0"});
  b.node("Mul", {"attention/inverted:0", "neg:0"}, {"attention/adder:0"});
  b.node("Add", {"attention/scaled:0", "attention/adder:0"}, {"attention/masked:0"});
  OnnxBuilder::attribute(b.node("Softmax", {"attention/masked:0"}, {"attention/probs:0"}), "axis", int64_t{-1});
  b.node("MatMul", {"attention/probs:0", "attention/vh:0"}, {"attention/ctx:0"});
  OnnxBuilder::attribute(b.node("Transpose", {"attention/ctx:0"}, {"attention/ctx_t:0"}), "perm", std::vector<int64_t>{0, 2, 1, 3});
  b.node("Reshape", {"attention/ctx_t:0", "seq_shape:0"}, {"attention/ctx3:0"});
  b.node("MatMul", {"attention/ctx3:0", "wo:0"}, {"attention/out_mm:0"});
  b.node("Add", {"attention/out_mm:0", "bo:0"}, {"attention/out:0"});
  b.node("Add", {"attention/out:0", x}, {"attention/residual:0"});
  tf2onnx_layernorm(b, "attention/residual:0", "attention/LayerNorm:0", "attention/LayerNorm", w.gamma[1], w.beta[1], w.epsilon);
  const std::string a = "attention/LayerNorm:0";
  b.node("MatMul", {a, "w1:0"}, {"ffn/mm1:0"});
  b.node("Add", {"ffn/mm1:0", "b1:0"}, {"ffn/h:0"});
  b.node("Mul", {"half:0", "ffn/h:0"}, {"ffn/gelu/mul:0"});
  b.node("Div", {"ffn/h:0", "sqrt2:0"}, {"ffn/gelu/truediv:0"});
  b.node("Erf", {"ffn/gelu/truediv:0"}, {"ffn/gelu/Erf:0"});
  b.node("Add", {"one:0", "ffn/gelu/Erf:0"}, {"ffn/gelu/add:0"});
  b.node("Mul", {"ffn/gelu/mul:0", "ffn/gelu/add:0"}, {"ffn/gelu/mul_1:0"});
  b.node("MatMul", {"ffn/gelu/mul_1:0", "w2:0"}, {"ffn/mm2:0"});
  b.node("Add", {"ffn/mm2:0", "b2:0"}, {"ffn/out:0"});
  b.node("Add", {"ffn/out:0", a}, {"ffn/residual:0"});
  keras_layernorm(b, "ffn/residual:0", "sequence_output:0", "output/LayerNorm", w.gamma[2], w.beta[2], w.epsilon);
  OnnxBuilder::attribute(b.node("Gather", {"sequence_output:0", "first:0"}, {"pooler/first:0"}), "axis", int64_t{1});
  b.node("MatMul", {"pooler/first:0", "wp:0"}, {"pooler/mm:0"});
  b.node("Add", {"pooler/mm:0", "bp:0"}, {"pooler/dense:0"});
  b.node("Tanh", {"pooler/dense:0"}, {"pooled_output:0"});
  return b;
}

// The encoder's outputs for `ids` and `mask` from its definition: the sequence output [T * hidden], then
// the pooled output [hidden].
inline std::pair<std::vector<double>, std::vector<double>> tf2onnx_encoder_reference(const EncoderWeights& w, const std::vector<int64_t>& ids,
                                                                                     const std::vector<int64_t>& mask) {
  const int64_t t_len = static_cast<int64_t>(ids.size()), h = w.hidden, hd = w.head_dim;
  auto layernorm = [&](const std::vector<double>& x, int k) {
    std::vector<double> y(x.size());
    for (int64_t t = 0; t < t_len; ++t) {
      double mean = 0.0, var = 0.0;
      for (int64_t c = 0; c < h; ++c) mean += x[static_cast<size_t>(t * h + c)];
      mean /= static_cast<double>(h);
      for (int64_t c = 0; c < h; ++c) var += std::pow(x[static_cast<size_t>(t * h + c)] - mean, 2);
      const double r = 1.0 / std::sqrt(var / static_cast<double>(h) + static_cast<double>(w.epsilon));
      for (int64_t c = 0; c < h; ++c) {
        y[static_cast<size_t>(t * h + c)] = (x[static_cast<size_t>(t * h + c)] - mean) * r * w.gamma[k][static_cast<size_t>(c)] + w.beta[k][static_cast<size_t>(c)];
      }
    }
    return y;
  };
  auto dense = [&](const std::vector<double>& x, const std::vector<float>& weights, const std::vector<float>& bias, int64_t rows, int64_t k, int64_t n) {
    std::vector<double> y = reference_matmul(x, weights, rows, k, n);
    for (size_t i = 0; i < y.size(); ++i) y[i] += bias[i % static_cast<size_t>(n)];
    return y;
  };
  std::vector<double> e;
  for (int64_t t = 0; t < t_len; ++t) {
    for (int64_t c = 0; c < h; ++c) e.push_back(static_cast<double>(w.word[static_cast<size_t>(ids[static_cast<size_t>(t)] * h + c)]) + w.position[static_cast<size_t>(t * h + c)]);
  }
  const std::vector<double> x = layernorm(e, 0);
  const auto q = dense(x, w.wq, w.bq, t_len, h, h), k = dense(x, w.wk, w.bk, t_len, h, h), v = dense(x, w.wv, w.bv, t_len, h, h);
  std::vector<double> ctx(static_cast<size_t>(t_len * h), 0.0);
  for (int64_t head = 0; head < w.heads; ++head) {
    std::vector<double> scores(static_cast<size_t>(t_len * t_len));
    for (int64_t i = 0; i < t_len; ++i) {
      for (int64_t j = 0; j < t_len; ++j) {
        double dot = 0.0;
        for (int64_t d = 0; d < hd; ++d) dot += q[static_cast<size_t>(i * h + head * hd + d)] * k[static_cast<size_t>(j * h + head * hd + d)];
        scores[static_cast<size_t>(i * t_len + j)] = dot / std::sqrt(static_cast<double>(hd)) + (1.0 - static_cast<double>(mask[static_cast<size_t>(j)])) * -10000.0;
      }
    }
    const auto p = reference_softmax(scores, t_len, t_len, [](int64_t, int64_t) { return true; });
    for (int64_t i = 0; i < t_len; ++i) {
      for (int64_t j = 0; j < t_len; ++j) {
        for (int64_t d = 0; d < hd; ++d) ctx[static_cast<size_t>(i * h + head * hd + d)] += p[static_cast<size_t>(i * t_len + j)] * v[static_cast<size_t>(j * h + head * hd + d)];
      }
    }
  }
  std::vector<double> r1 = dense(ctx, w.wo, w.bo, t_len, h, h);
  for (size_t i = 0; i < r1.size(); ++i) r1[i] += x[i];
  const std::vector<double> a = layernorm(r1, 1);
  std::vector<double> f = dense(a, w.w1, w.b1, t_len, h, w.mlp);
  for (double& value : f) value = 0.5 * value * (1.0 + std::erf(value / std::sqrt(2.0)));
  std::vector<double> r2 = dense(f, w.w2, w.b2, t_len, w.mlp, h);
  for (size_t i = 0; i < r2.size(); ++i) r2[i] += a[i];
  const std::vector<double> sequence = layernorm(r2, 2);
  std::vector<double> pooled = dense(std::vector<double>(sequence.begin(), sequence.begin() + h), w.wp, w.bp, 1, h, h);
  for (double& value : pooled) value = std::tanh(value);
  return {sequence, pooled};
}

}  // namespace npusim::testing
